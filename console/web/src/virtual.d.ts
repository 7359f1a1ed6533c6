// Made by build.ts from the CRD (see request-schema.ts).
declare module "virtual:request-validator" {
  import type { ValidateFunction } from "ajv";
  export const validate: ValidateFunction;
  /** schemaKey() of the spec schema the validator was compiled from. */
  export const builtFrom: string;
}
