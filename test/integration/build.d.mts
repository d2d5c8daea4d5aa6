/** Types for build.mjs, which the tier scripts import as plain JavaScript. */
export function buildIntegrationSuite(opts: { root: string; outDir?: string }): Promise<{ outDir: string; entry: string; tests: string[] }>;
