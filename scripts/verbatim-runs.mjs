#!/usr/bin/env node
// Finds the course text copied verbatim from the source documents the course
// was written from (../shared/reference/seeds/, see SEEDS.md): every run of
// 40 or more Chinese characters that also occurs in a source. Only Chinese
// characters count — punctuation, spaces, line breaks, digits, Latin letters
// and Markdown are skipped on both sides — so a sentence copied with its
// commas changed, or split over two lines, is still found.
//
// Lists of named items kept in the sources' words (scripts/verbatim-named-lists.txt)
// are exempt: their characters break a run instead of extending it.
//
// tests/course_shape.rs applies the same rule (and fails on any run); this
// script is the tool to find and list them while rewriting.
//
// Usage: node scripts/verbatim-runs.mjs [--min N] [--seeds DIR] [paths…]
//   paths default to content/ and quizzes/; exit status 1 when a run is found.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let min = 40;
let seedsDir = path.resolve(repo, "..", "shared", "reference", "seeds");
const roots = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--min") min = Number(args[++i]);
  else if (args[i] === "--seeds") seedsDir = path.resolve(args[++i]);
  else roots.push(path.resolve(args[i]));
}
if (!Number.isInteger(min) || min < 2) {
  console.error("--min needs a whole number of characters, at least 2");
  process.exit(2);
}
if (roots.length === 0) roots.push(path.join(repo, "content"), path.join(repo, "quizzes"));
if (!fs.existsSync(seedsDir)) {
  console.error(`the source documents are not at ${seedsDir}: pass --seeds DIR`);
  process.exit(2);
}

// CJK Unified Ideographs with extension A, the compatibility block and the
// supplementary planes — the same ranges as tests/course_shape.rs.
const HAN = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;

/** The Chinese characters of `text`, each with the line it stands on. */
function hanOf(text) {
  const chars = [];
  const lines = [];
  let line = 1;
  for (const ch of text) {
    if (ch === "\n") line++;
    else if (HAN.test(ch)) {
      chars.push(ch);
      lines.push(line);
    }
  }
  return { chars, lines };
}

const windows = new Set();
for (const name of fs.readdirSync(seedsDir).sort()) {
  if (!name.endsWith(".txt")) continue;
  const { chars } = hanOf(fs.readFileSync(path.join(seedsDir, name), "utf8"));
  for (let i = 0; i + min <= chars.length; i++) windows.add(chars.slice(i, i + min).join(""));
}

const namedLists = fs
  .readFileSync(path.join(repo, "scripts", "verbatim-named-lists.txt"), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.trim().startsWith("#"))
  .map((line) => hanOf(line).chars.join(""));

function* files(p) {
  const st = fs.statSync(p);
  if (st.isFile()) {
    yield p;
    return;
  }
  for (const name of fs.readdirSync(p).sort()) yield* files(path.join(p, name));
}

let found = 0;
for (const root of roots) {
  for (const file of files(root)) {
    if (!/\.(md|ya?ml)$/.test(file)) continue;
    const { chars, lines } = hanOf(fs.readFileSync(file, "utf8"));
    // Mark every character covered by a window that a source also has.
    const copied = new Uint8Array(chars.length);
    for (let i = 0; i + min <= chars.length; i++) {
      if (windows.has(chars.slice(i, i + min).join(""))) copied.fill(1, i, i + min);
    }
    const joined = chars.join("");
    for (const list of namedLists) {
      // Every character here is one UTF-16 unit or a pair; count characters.
      for (let at = joined.indexOf(list); at !== -1; at = joined.indexOf(list, at + 1)) {
        const start = [...joined.slice(0, at)].length;
        copied.fill(0, start, start + [...list].length);
      }
    }
    for (let i = 0; i < chars.length; ) {
      if (!copied[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j < chars.length && copied[j]) j++;
      if (j - i < min) {
        i = j; // what is left of a run around an exempt list
        continue;
      }
      found++;
      const where = lines[i] === lines[j - 1] ? `${lines[i]}` : `${lines[i]}-${lines[j - 1]}`;
      console.log(`${path.relative(repo, file)}:${where}: ${j - i} characters: ${chars.slice(i, j).join("")}`);
      i = j;
    }
  }
}
console.error(`${found} run(s) of ${min}+ Chinese characters copied from ${seedsDir}`);
process.exit(found > 0 ? 1 : 0);
