"use strict";
// zmq-interleave is an ES module package. Node 20.19+ and 22.12+ can require() it anyway
// (require of ES modules); older Node versions cannot, and get this message instead of
// ERR_REQUIRE_ESM. The error has the kit's shape: a KitError with code UNSUPPORTED.

const footprint = Symbol.for("zmq-interleave.error");

/** Loads `target` (an ES module of the package) with require(), or throws the kit's own message. */
function load(target, specifier) {
  try {
    return require(target);
  } catch (err) {
    const code = err && err.code;
    if (code !== "ERR_REQUIRE_ESM" && code !== "ERR_REQUIRE_ASYNC_MODULE") throw err;
    const e = new Error(
      `${specifier} is an ES module and this Node (${process.version}) cannot require() it. ` +
        `Use import instead: \`import { ... } from "${specifier}"\` (in CommonJS: \`const kit = await import("${specifier}")\`), ` +
        "Node 20.19+ and 22.12+ can require() ES modules unless that is switched off (--no-experimental-require-module).",
      { cause: err },
    );
    e.name = "KitError";
    e.code = "UNSUPPORTED";
    e[footprint] = true;
    throw e;
  }
}

module.exports = { load };
