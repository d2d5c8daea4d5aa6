/**
 * Moved to src/services/usagesInFile.ts (the CLI and the sidebar scan files alike). This
 * forwarding module keeps test/unit/search/sidebar/panelData.test.ts, which other branches are
 * changing, compiling until they land; new code imports the services module.
 */
export { usagesInCells, usagesInFile, type FileUsage } from '../services/usagesInFile';
