import { describe, expect, it } from "vitest";
import { staleReason } from "../../bench/kit/build.js";

const configs = [{ path: "tsconfig.json", mtimeMs: 100 }];

describe("kit suites: is dist/ stale?", () => {
  it("is fresh when every source has an output at least as new", () => {
    expect(
      staleReason({
        sources: [{ path: "index.ts", mtimeMs: 200 }, { path: "model/check.ts", mtimeMs: 300 }],
        configs,
        outputs: [{ path: "index.js", mtimeMs: 400 }, { path: "model/check.js", mtimeMs: 400 }, { path: "old/gone.js", mtimeMs: 1 }],
      }),
    ).toBeUndefined();
  });

  it("names a missing output, a source changed after the build, or a changed configuration", () => {
    expect(staleReason({ sources: [{ path: "model/check.ts", mtimeMs: 1 }], configs, outputs: [] })).toBe("dist/model/check.js is missing");
    expect(
      staleReason({ sources: [{ path: "model/check.ts", mtimeMs: 500 }], configs, outputs: [{ path: "model/check.js", mtimeMs: 400 }] }),
    ).toBe("src/model/check.ts changed after the last build");
    expect(
      staleReason({ sources: [{ path: "index.ts", mtimeMs: 1 }], configs: [{ path: "tsconfig.build.json", mtimeMs: 900 }], outputs: [{ path: "index.js", mtimeMs: 400 }] }),
    ).toBe("tsconfig.build.json changed after the last build");
  });
});
