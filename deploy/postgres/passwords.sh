#!/bin/sh
# Gives every service role LOGIN and its password from the environment, after roles.sql:
#   GSR_IDENTITY_DB_PASSWORD=… … sh deploy/postgres/passwords.sh
# Under docker compose both run once, when the data volume is first initialised
# (/docker-entrypoint-initdb.d); run them by hand (psql as the superuser) on an existing one.
set -eu
for service in identity hierarchy intake review files notification assessment; do
  variable="GSR_$(echo "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
  password=$(printenv "$variable" || true)
  if [ -z "$password" ]; then
    echo "$variable 未设置 / $variable is not set" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-gsr}" \
    -v role="gsr_$service" -v password="$password" <<'SQL'
ALTER ROLE :"role" LOGIN PASSWORD :'password';
SQL
done
