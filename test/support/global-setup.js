// Gives every Jest worker the id of this run, so that the one-off build of dist/ for the process
// tests happens once per run (see buildApi in service-process.ts).
module.exports = async () => {
  process.env.TEST_RUN_ID = `${process.pid}-${Date.now()}`;
};
