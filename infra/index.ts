// Entry point for `pulumi up -s <environment>.<cluster>` run in infra/ with
// the Pulumi CLI's own Node.js language host. The driver (deploy.ts) runs the
// same program in process.
import { stackProgram } from "./program.ts";

export default stackProgram;
