// Every port number a scenario uses, in policies (ports and endPort ranges),
// containers (which named ports resolve to) and tenants' metricsPorts.
//
// They form blocks that neither overlap nor touch: no single port lies in or
// next to a range, and no two ports are neighbours. netpol-analyzer v1.4.4
// sometimes drops ports from the union of what several policies allow a pod
// (AugmentedCanonicalSet.AddAugmentedInterval in
// pkg/netpol/internal/common/augmented_intervalset.go: when an interval
// begins strictly inside one interval of the set and ends strictly inside the
// next, the left split increments `left` to equal `right`, and the right
// split then takes the "v lies in one interval" branch and omits
// [set[right].start, v.end]). The set is no longer contiguous and prints
// with the gap filled: TCP 8081,9090 from one policy and TCP 8081-8266 from
// another came out as TCP 8081-9090. Which interval arrives first follows Go's
// random map order of policies, so the same input gives either answer. The
// split it needs happens only at a boundary that falls inside another
// policy's interval, which blocks like these never produce: every boundary of
// every set is then the edge of a block that set contains.

/** Single ports, none next to another. */
export const PORTS = [53, 80, 443, 514, 3000, 3868, 5432, 6379, 8080, 8443, 9000, 9090, 9100, 9113, 9153, 10250] as const;

/** Port ranges (port and endPort), apart from every single port and each other. */
export const PORT_RANGES: readonly (readonly [number, number])[] = [
  [1024, 2047],
  [6000, 6099],
  [30000, 32767],
];
