// A separate OS process appending to the embedded event store (compiled to dist/ by the test).
// argv: <dist root> <sqlite file> <start at epoch ms> <appends>
const [distRoot, file, startAt, appends] = process.argv.slice(2);
const { SqliteEventStore } = require(`${distRoot}/libs/event-store/src/sqlite/sqlite-event-store.js`);

async function main() {
  const store = new SqliteEventStore(file);
  // Start together with the other processes, to make the race real.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  let contested = 'conflict';
  try {
    await store.append('contested', [{ type: 'Won', data: { pid: process.pid } }], { expectedRevision: 0 });
    contested = 'won';
  } catch (error) {
    if (error.name !== 'WrongExpectedRevisionError') throw error;
  }
  for (let i = 0; i < Number(appends); i++) {
    await store.append('shared', [{ type: 'Tick', data: { pid: process.pid, i } }], { expectedRevision: 'any' });
  }
  await store.close();
  process.stdout.write(JSON.stringify({ contested }));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack));
  process.exit(1);
});
