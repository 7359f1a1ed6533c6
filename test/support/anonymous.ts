// A request with no credentials at all: the API server calls it
// system:anonymous (or answers 401 where anonymous access is off). Every path
// yunshu gives a department is tried this way too.
import { readFileSync } from "node:fs";
import { request } from "node:https";
import type { ControlPlane } from "../../tools/controlplane/controlplane.ts";

/** The HTTP status the API server answers an anonymous `method` on `path` with. */
export function anonymousStatus(plane: ControlPlane, method: string, path: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { "content-type": "application/json" };
    const req = request(`${plane.server}${path}`, { method, headers, ca: readFileSync(plane.caCertPath), timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
