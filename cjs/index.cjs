"use strict";
// require("zmq-interleave"): the ES module build, or a clear message where Node cannot load it.
module.exports = require("./require.cjs").load("../dist/index.js", "zmq-interleave");
