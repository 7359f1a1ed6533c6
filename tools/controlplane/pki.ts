// Key material for one local control plane: a CA, the API server's serving
// certificate (valid for 127.0.0.1), and the service-account signing key.
// Node can make keys but not certificates, so certificates come from openssl,
// which every Debian-like system has.
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface Pki {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPublicKey: string;
}

/** The first address of the service range: the in-cluster `kubernetes` Service. */
export const KUBERNETES_SERVICE_IP = "10.0.0.1";

async function openssl(args: string[], cwd: string): Promise<void> {
  try {
    await run("openssl", args, { cwd });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new Error("openssl is not installed: `apt-get install openssl` (make test installs it for you)", { cause: err });
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`, { cause: err });
  }
}

export async function createPki(dir: string): Promise<Pki> {
  const p = (name: string) => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

  await writeFile(
    p("ca.cnf"),
    [
      "[req]",
      "distinguished_name = dn",
      "x509_extensions = ca",
      "prompt = no",
      "[dn]",
      "CN = yunshu-local-ca",
      "[ca]",
      "basicConstraints = critical, CA:TRUE",
      "keyUsage = critical, keyCertSign, cRLSign, digitalSignature",
      "subjectKeyIdentifier = hash",
      "",
    ].join("\n"),
  );
  await openssl(["req", "-x509", ...ec, "-config", "ca.cnf", "-days", "3650", "-keyout", "ca.key", "-out", "ca.crt"], dir);

  await writeFile(
    p("serving.ext"),
    [
      "basicConstraints = CA:FALSE",
      "keyUsage = critical, digitalSignature, keyEncipherment",
      "extendedKeyUsage = serverAuth",
      `subjectAltName = IP:127.0.0.1, IP:${KUBERNETES_SERVICE_IP}, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc`,
      "",
    ].join("\n"),
  );
  await openssl(["req", "-new", ...ec, "-subj", "/CN=kube-apiserver", "-keyout", "serving.key", "-out", "serving.csr"], dir);
  await openssl(
    ["x509", "-req", "-in", "serving.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "3650", "-extfile", "serving.ext", "-out", "serving.crt"],
    dir,
  );

  const sa = generateKeyPairSync("ec", {
    namedCurve: "P-256",
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  await writeFile(p("sa.key"), sa.privateKey, { mode: 0o600 });
  await writeFile(p("sa.pub"), sa.publicKey);

  return {
    caCert: p("ca.crt"),
    caKey: p("ca.key"),
    servingCert: p("serving.crt"),
    servingKey: p("serving.key"),
    serviceAccountKey: p("sa.key"),
    serviceAccountPublicKey: p("sa.pub"),
  };
}
