# Copy to instance/config.py and edit. Environment variables override these values.

# PostgreSQL instead of the embedded SQLite file:
# SQLALCHEMY_DATABASE_URI = "postgresql://labelapp:password@localhost/labelapp"

# Run with the production settings (Secure cookies, no demo data, debug refused):
# LABELAPP_ENV = "production"

# Outgoing e-mail (without SMTP_HOST messages are printed to the console and stay in the outbox):
# SMTP_HOST = "smtp.example.org"
# SMTP_PORT = 587
# SMTP_SECURITY = "starttls"   # none | starttls | ssl
# SMTP_USERNAME = "labelapp"
# SMTP_PASSWORD = "..."
# MAIL_FROM = "Kaasav omavalitsus <noreply@example.org>"
# PUBLIC_BASE_URL = "https://label.example.org"
