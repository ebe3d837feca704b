# The Hybridbox bulk load of the bench mailboxes u<FROM>..u<TO-1>@bench.test, 1000 a request, shared by
# scripts/bench-vs-peer.sh and scripts/bulk-ab.sh (sourced, not run). The request bodies and curl's configs are
# written before any clock starts, and each chunk of up to 100 requests (100,000 mailboxes) goes over one kept
# connection, one request after the other, as a provisioning tool would send them: the figure is the server's, not
# the cost of starting awk and curl and connecting a thousand times.
#
#   bulk_prepare DIR URL TOKEN FROM TO   writes DIR/body-<i>.json and DIR/chunk-<k>.curl (k = 0, 1, …)
#   bulk_chunks DIR                      prints the chunks' configs in order
#   bulk_send CONFIG                     sends one chunk (the part to time)
#   bulk_check CONFIG                    then fails with the first bad answer unless every request of the chunk
#                                        answered 200 and every item of every request was created

bulk_first_names=(Ann Bruno Chen Dara Emil Fatima Goran Hana Ivan Jun Kofi Lena Mateo Nia Omar Priya)
bulk_last_names=(Alvarez Berg Costa Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen Moreau Novak Okafor Petrov)
# The Hybridbox account and service-account token of bench/seeds/at-size.yaml and the other bench seeds.
bulk_account=0b0b0b0b-0000-4000-8000-00000000be01
bulk_token=hbx_sa_bench_provisioning
bulk_items_awk="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bulk-items.awk"

bulk_prepare() {
  local dir="$1" url="$2" token="$3" from="$4" to="$5" i end chunk
  rm -rf "$dir"; mkdir -p "$dir"
  for ((i = from; i < to; i += 1000)); do
    end=$((i + 1000 < to ? i + 1000 : to))
    chunk="$dir/chunk-$(((i - from) / 100000)).curl"
    awk -v from="$i" -v to="$end" -v f="${bulk_first_names[*]}" -v l="${bulk_last_names[*]}" -f "$bulk_items_awk" \
      > "$dir/body-$i.json"
    {
      [ -f "$chunk" ] && echo next
      echo "url = \"$url\""
      echo 'request = "POST"'
      echo "header = \"Authorization: Bearer $token\""
      echo 'header = "Content-Type: application/json"'
      echo "data-binary = \"@$dir/body-$i.json\""
      echo "output = \"$dir/answer-$i.json\""
      echo "write-out = \"%{http_code} $i $((end - i))\\n\""
      echo 'max-time = 600'
    } >> "$chunk"
  done
}

bulk_chunks() { ls "$1"/chunk-*.curl | sort -t- -k2 -n; }

bulk_send() { curl -sS -K "$1" > "${1%.curl}.codes"; }

bulk_check() {
  local config="$1" dir code i items created
  dir="$(dirname "$config")"
  while read -r code i items; do
    created="$(grep -o '"mailbox":{' "$dir/answer-$i.json" | wc -l)"
    if [ "$code" != 200 ] || [ "$created" != "$items" ]; then
      echo "bulk create u$i..u$((i + items - 1)) answered $code with $created created: $(head -c 600 "$dir/answer-$i.json")" >&2
      return 1
    fi
    rm -f "$dir/answer-$i.json"
  done < "${config%.curl}.codes"
  [ "$(wc -l < "${config%.curl}.codes")" = "$(grep -c '^url' "$config")" ] || { echo "bulk: $config not all sent" >&2; return 1; }
}
