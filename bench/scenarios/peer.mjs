// Scenario `peer` (better-auth comparison): not written yet. See bench/README.md, "Missing".
export default async function peer() {
  console.log('\n== peer: not implemented (better-auth comparison is still missing; see bench/README.md)');
}
