# Sourced by bench/run.sh and bench/memory/run.sh: the HTTPS mock's certificate for one run.
#
#   mock_tls_files DIR   writes DIR/mock-tls-{cert,key}.pem (EC P-256, valid 2 days, for 127.0.0.1 and
#                        localhost) and DIR/mock-tls-trust.p12 holding it, then prints the JVM flags that
#                        make it the trust store of a Sluice arm (so a build that predates providers'
#                        ca_file trusts it too). The mock takes --tls-cert / --tls-key DIR/mock-tls-*.pem.
mock_tls_files() {
  local dir=$1 keytool
  rm -f "$dir"/mock-tls-*
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$dir/mock-tls-key.pem" -out "$dir/mock-tls-cert.pem" 2>/dev/null || return 1
  keytool=$(dirname "$(readlink -f "$(command -v java)")")/keytool
  "$keytool" -importcert -noprompt -alias bench-mock -file "$dir/mock-tls-cert.pem" -storetype PKCS12 \
    -keystore "$dir/mock-tls-trust.p12" -storepass bench-only >/dev/null 2>&1 || return 1
  echo "-Djavax.net.ssl.trustStore=$dir/mock-tls-trust.p12 -Djavax.net.ssl.trustStorePassword=bench-only -Djavax.net.ssl.trustStoreType=PKCS12"
}
