// Writes examples/data/regression.csv: 600 rows of 8 features x1..x8 ~ U(-2, 2) and a smooth nonlinear
// target with a little noise, for examples/residual.nnet. Deterministic (fixed seed):
//   node examples/data/make-regression.mjs > examples/data/regression.csv
let state = 12345;
const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296);
const rows = ['x1,x2,x3,x4,x5,x6,x7,x8,target'];
for (let i = 0; i < 600; i++) {
  const x = Array.from({ length: 8 }, () => uniform() * 4 - 2);
  const noise = (uniform() - 0.5) * 0.1;
  const y = Math.sin(x[0]) + 0.5 * x[1] * x[2] - (x[3] * x[3]) / 4 + 0.3 * x[4] + 0.2 * Math.tanh(x[5] + x[6]) + noise;
  rows.push([...x, y].map((v) => v.toFixed(4)).join(','));
}
process.stdout.write(rows.join('\n') + '\n');
