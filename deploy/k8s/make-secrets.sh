#!/bin/sh
# Makes every secret of one Kubernetes deployment, consistently, from fresh random values:
#   sh deploy/k8s/make-secrets.sh production [smtps://user:pass@mail.example.gov.cn:465]
# writes deploy/k8s/overlays/<env>/secrets/*.env (the apps), deploy/nats/secrets/nats-users.env,
# deploy/postgres/secrets/*.password (the services' roles, the same as in their DATABASE_URL)
# and deploy/minio/secrets/config.env, and prints BUS_ACTOR_PUBLIC_KEY for
# overlays/<env>/config.env. None of these files is committed (.gitignore); keep them in your
# secret store. It refuses to overwrite: rotating is a decision, not a side effect.
set -eu
env=${1:?usage: make-secrets.sh <production|staging> [SMTP_URL]}
smtp=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
apps="$root/k8s/overlays/$env/secrets"
[ -d "$root/k8s/overlays/$env" ] || { echo "no overlay $env" >&2; exit 1; }
for dir in "$apps" "$root/nats/secrets" "$root/postgres/secrets" "$root/minio/secrets"; do
  if [ -e "$dir" ]; then echo "$dir exists: not overwriting" >&2; exit 1; fi
done
umask 077
mkdir -p "$apps" "$root/nats/secrets" "$root/postgres/secrets" "$root/minio/secrets"
rand() { openssl rand -hex "${1:-24}"; }
key=$(mktemp); trap 'rm -f "$key"' EXIT
openssl genpkey -algorithm ed25519 -out "$key" 2>/dev/null
private=$(openssl pkey -in "$key" -outform DER | base64 | tr -d '\n')
public=$(openssl pkey -in "$key" -pubout -outform DER | base64 | tr -d '\n')
jwt=$(rand 32); encryption=$(rand 32)
s3_user=gsr-admin; s3_password=$(rand 24)
printf 'export MINIO_ROOT_USER=%s\nexport MINIO_ROOT_PASSWORD=%s\n' "$s3_user" "$s3_password" > "$root/minio/secrets/config.env"
: > "$root/nats/secrets/nats-users.env"
for app in gateway identity hierarchy intake review files notification assessment; do
  nats=$(rand 24)
  upper=$(echo "$app" | tr '[:lower:]' '[:upper:]')
  echo "NATS_${upper}_PASSWORD=$nats" >> "$root/nats/secrets/nats-users.env"
  file="$apps/$app.env"
  printf 'NATS_USER=%s\nNATS_PASSWORD=%s\n' "$app" "$nats" > "$file"
  if [ "$app" != gateway ]; then
    db=$(rand 24)
    printf '%s' "$db" > "$root/postgres/secrets/$app.password"
    echo "DATABASE_URL=postgres://gsr_$app:$db@gsr-db-rw:5432/gsr" >> "$file"
  fi
  case $app in gateway | identity) echo "JWT_SECRET=$jwt" >> "$file" ;; esac
  case $app in identity | review | notification) echo "ENCRYPTION_KEY=$encryption" >> "$file" ;; esac
  case $app in gateway | identity | intake | review | files | assessment) printf 'S3_ACCESS_KEY=%s\nS3_SECRET_KEY=%s\n' "$s3_user" "$s3_password" >> "$file" ;; esac
  case $app in gateway) echo "BUS_ACTOR_PRIVATE_KEY=$private" >> "$file" ;; esac
  case $app in notification) [ -z "$smtp" ] || echo "SMTP_URL=$smtp" >> "$file" ;; esac
done
echo "BUS_ACTOR_PUBLIC_KEY=$public   # → deploy/k8s/overlays/$env/config.env"
