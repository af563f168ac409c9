import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundledContentDirectory } from "../content/folder.js";
import { contentJsonSchemas, schemaText } from "./content-schema.js";

// npm run content:schema — writes content/briefing.schema.json and content/topics.schema.json from the zod schemas;
// the npm script then runs Prettier over them. Each YAML file points at its schema on its first line
// (`# yaml-language-server: $schema=...`), for editors. test/content-schema.test.ts fails when they are out of date.
const folder = bundledContentDirectory();
for (const { file, describes, schema } of contentJsonSchemas()) {
  writeFileSync(join(folder, file), schemaText(schema));
  process.stdout.write(`content:schema: ${join(folder, file)} (for ${describes})\n`);
}
