#!/bin/sh
# Creates a tenant's zone at the hoster's PowerDNS through its API.
# Usage: provision-zone.sh DOMAIN TENANT
set -eu
DOMAIN=$1
TENANT=$2
KEY=$(printf '%s' "$DOMAIN" | tr . -)
API=${PDNS_API:-http://127.0.10.1:18081/api/v1/servers/localhost}

curl -fsS -X POST -H "X-API-Key: $PDNS_API_KEY" "$API/zones" -d @- <<JSON
{"name": "$DOMAIN.", "kind": "Native", "dnssec": true,
 "nameservers": ["ns1.lab-dns.net.", "ns2.lab-dns.net."]}
JSON

rrset() { # NAME TYPE CONTENT...
  name=$1 type=$2; shift 2
  records=""
  for c in "$@"; do records="$records${records:+,}{\"content\": \"$c\", \"disabled\": false}"; done
  curl -fsS -X PATCH -H "X-API-Key: $PDNS_API_KEY" "$API/zones/$DOMAIN." \
    -d "{\"rrsets\": [{\"name\": \"$name\", \"type\": \"$type\", \"ttl\": 3600, \"changetype\": \"REPLACE\", \"records\": [$records]}]}"
}

rrset "$DOMAIN." MX "0 $KEY.mail.protection.outlook.com."
rrset "$DOMAIN." TXT '"v=spf1 include:spf.protection.outlook.com -all"'
rrset "autodiscover.$DOMAIN." CNAME "autodiscover.outlook.com."
rrset "selector1._domainkey.$DOMAIN." CNAME "selector1-$KEY._domainkey.$TENANT.onmicrosoft.com."
rrset "selector2._domainkey.$DOMAIN." CNAME "selector2-$KEY._domainkey.$TENANT.onmicrosoft.com."
# Legacy tenants of the German cloud kept their own relay name
rrset "relay.$DOMAIN." CNAME "${DOMAIN%%.*}-de.mail.protection.outlook.de."
# Old printers cannot follow a CNAME: pin the address the relay had when the customer was set up
rrset "printer-relay.$DOMAIN." A "127.0.20.3"
echo "zone $DOMAIN provisioned" >&2
