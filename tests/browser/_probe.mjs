import { launch, serve } from './lib.mjs';
const [dir, rel, width, expr] = process.argv.slice(2);
const b = await launch(); const s = await serve(dir);
const ctx = await b.newContext({ viewport: { width: Number(width), height: 900 } });
const p = await ctx.newPage(); await p.goto(s.url + rel); await p.waitForTimeout(300);
console.log(JSON.stringify(await p.evaluate(expr), null, 1)); await b.close(); await s.close();
