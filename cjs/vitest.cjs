"use strict";
// require("zmq-interleave/vitest"): the ES module build, or a clear message where Node cannot load it.
module.exports = require("./require.cjs").load("../dist/vitest/index.js", "zmq-interleave/vitest");
