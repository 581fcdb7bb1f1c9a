#!/bin/bash
# Re-points the MX of every domain listed in domains.txt, one per line; called by the nightly job.
while read -r DOMAIN; do
  [ -z "$DOMAIN" ] && continue
  nsupdate -k /etc/bind/tsig.key <<EOT
server 127.0.0.1 5301
zone $DOMAIN
update delete $DOMAIN MX
update add $DOMAIN 3600 MX 0 $DOMAIN-com.mail.protection.outlook.com.
send
EOT
done < domains.txt
