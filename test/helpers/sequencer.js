const Sequencer = require('@jest/test-sequencer').default;

const rank = (path) => (path.includes('/unit/') ? 0 : path.includes('/workflow/') ? 1 : 2);

/** Unit tests, then workflow tests on the time-skipping server, then end-to-end tests. */
class ByLayer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}
module.exports = ByLayer;
