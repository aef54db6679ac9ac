import fc from "fast-check";

// CI pins fast-check's seed (ZI_SEED) so every property run there is reproducible; locally
// the seed is random and fast-check prints it with any failure.
const pinned = process.env.ZI_SEED;
if (pinned !== undefined && pinned !== "") {
  const seed = Number(pinned);
  if (!Number.isSafeInteger(seed)) throw new Error(`ZI_SEED must be an integer, got ${JSON.stringify(pinned)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
}
