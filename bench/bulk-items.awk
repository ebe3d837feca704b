# A Hybridbox bulk-create body of the bench mailboxes u<from>..u<to-1>@bench.test, names taken in turn from the
# space-separated first names f and last names l (scripts/bench-vs-peer.sh and scripts/bulk-ab.sh):
#   awk -v from=0 -v to=1000 -v f="Ann Bruno" -v l="Berg Costa" -f bench/bulk-items.awk
BEGIN {
  nf = split(f, F, " "); nl = split(l, L, " ")
  printf "{\"domain\":\"bench.test\",\"items\":["
  for (k = from; k < to; k++)
    printf "%s{\"first_name\":\"%s\",\"last_name\":\"%s\",\"local_part\":\"u%d\"}", (k > from ? "," : ""),
      F[k % nf + 1], L[int(k / nf) % nl + 1], k
  printf "]}"
}
