import { tableCsvText } from '../../src-main/core/onnx/prediction-table.js';
const rows: (string | number | null)[][] = [];
for (let r = 0; r < 100000; r++) { const row: (string|number|null)[] = []; for (let c = 0; c < 33; c++) row.push(Math.round(Math.random() * 1e5) / 1e5 - 0.5); row.push(Math.fround(Math.random()), Math.fround(Math.random()), 'yes', 'no'); rows.push(row); }
const table = { columns: Array.from({ length: 37 }, (_, i) => `c${i}`), rows };
for (let k = 0; k < 3; k++) { let t = performance.now(); const s = tableCsvText(table); console.log('tableCsvText', (performance.now() - t).toFixed(0), s.length); }
let t = performance.now(); let n = 0; for (const row of rows) for (const v of row) if (typeof v === 'number') n += String(v).length; console.log('String() only', (performance.now() - t).toFixed(0), n);
t = performance.now(); n = 0; for (const row of rows) for (const v of row) if (typeof v === 'number') n += v.toString().length; console.log('toString', (performance.now() - t).toFixed(0));
t = performance.now(); n = 0; for (const row of rows) for (const v of row) if (typeof v === 'number') n += (''+v).length; console.log('concat', (performance.now() - t).toFixed(0));
