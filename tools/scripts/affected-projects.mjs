// Prints, for each file named on the command line, the projects that a change to that file
// alone makes affected, as JSON ({ "<file>": ["<project>", ...] }). It asks Nx what
// `nx show projects --affected --files=<file>` asks (the same graph, file changes and
// filterAffected), but loads the project graph once for every file instead of once per file.
// Used by tools/affectedProjects.test.ts.
import { createProjectGraphAsync } from '@nx/devkit';
import { calculateFileChanges } from 'nx/src/devkit-internals.js';
import { filterAffected } from 'nx/src/project-graph/affected/affected-project-graph.js';

const files = process.argv.slice(2);
const graph = await createProjectGraphAsync({ exitOnError: true });
const affected = {};
for (const file of files) {
  // `files` in the arguments makes Nx take the file as wholly changed, without a git base.
  const changes = calculateFileChanges([file], { files: [file] });
  affected[file] = Object.keys((await filterAffected(graph, changes)).nodes).sort();
}
process.stdout.write(JSON.stringify(affected));
