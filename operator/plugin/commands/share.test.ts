import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.ts";
import { parsePort } from "./share.ts";

describe("share offer --port", () => {
  it("reads a port, a protocol and a range", () => {
    expect(parsePort("8443")).toEqual({ protocol: "TCP", port: 8443 });
    expect(parsePort("udp/53")).toEqual({ protocol: "UDP", port: 53 });
    expect(parsePort("SCTP/9000-9010")).toEqual({ protocol: "SCTP", port: 9000, endPort: 9010 });
    expect(parsePort("80-80")).toEqual({ protocol: "TCP", port: 80 });
  });

  it("refuses what is not one port or an ascending range within 1-65535", () => {
    for (const bad of ["", "http", "0", "65536", "9010-9000", "ICMP/1", "80,443", "tcp/"]) expect(() => parsePort(bad), bad).toThrow(UsageError);
  });
});
