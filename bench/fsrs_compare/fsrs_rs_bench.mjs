// Runs the reference optimiser, fsrs-rs (through its Node binding, the version pinned in
// package.json), on a review log with the 5-fold time-series split, and prints the pooled test log
// loss, RMSE(bins) and wall time as one JSON line, the same shape as fsrs_fit_bench.cpp prints.
//
//   cd bench/fsrs_compare && npm install && node fsrs_rs_bench.mjs [log.csv] [--rollover-hour H] [--short-term]
//
// Retain's scheduler and optimiser use FSRS-6's long-term mode (core/fsrs.h), so the like-for-like
// comparison runs fsrs-rs with enable_short_term = false (w17..w19 frozen at 0: a same-day review leaves
// stability as it was). --short-term runs fsrs-rs's default mode instead, for reference.
//
// A developer tool, never part of the build. `npm install` (which follows package-lock.json), not
// `npm ci`: binding 0.5.0 declares optional per-platform packages at ^0.5.0 that were only ever
// published at 0.1.2, so `npm ci`'s lock-file check refuses any lock file for it; on linux-x64-gnu
// the one native package it needs is locked at 0.5.0. Items are built exactly as Retain's optimiser builds
// them (core/fsrs_optimizer.h): study days start at the rollover hour (UTC, default 09:00, which
// separates that log's days cleanly); each review after an item's first on a later day than the
// previous review is one item whose history includes same-day reviews (delta 0); items are in the
// time order of the predicted review.
//
// Two numbers come out. The like-for-like ones (test_log_loss, test_rmse_bins, test_auc): fsrs-rs's
// computeParameters fits each fold's training items, the fitted parameters predict the fold's test
// items (memory states from fsrs-rs's own nextStates), and the pooled predictions are scored with
// the same plain (unweighted) metrics Retain's bench uses. And, for reference, the binding's own
// evaluateWithTimeSeriesSplits (binding_evaluate_*), whose log loss is weighted in a way that
// depends on item order, so it is not comparable with a plain mean.
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  computeParameters,
  evaluateWithTimeSeriesSplits,
  FSRSBinding,
  FSRSBindingItem,
  FSRSBindingReview,
} from '@open-spaced-repetition/binding'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
let path = resolve(here, '../../tests/data/reviews/josh.csv')
let rolloverHour = 9
let enableShortTerm = false
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--rollover-hour') rolloverHour = Number(args[++i])
  else if (args[i] === '--short-term') enableShortTerm = true
  else path = args[i]
}

const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '')
const header = lines[0].split(',')
const col = (name) => header.indexOf(name)
const [cCard, cRating, cTime] = [col('card_id'), col('review_rating'), col('review_time')]
const byCard = new Map()
for (const line of lines.slice(1)) {
  const f = line.split(',')
  const ms = Date.parse(f[cTime])
  if (Number.isNaN(ms)) throw new Error(`bad time: ${line}`)
  if (!byCard.has(f[cCard])) byCard.set(f[cCard], [])
  byCard.get(f[cCard]).push({ rating: Number(f[cRating]), ms })
}
const dayOf = (ms) => Math.floor((ms - rolloverHour * 3600000) / 86400000)
const items = []
let cardIndex = 0
for (const reviews of byCard.values()) {
  reviews.sort((a, b) => a.ms - b.ms) // stable
  const seq = []
  let prevDay = 0
  reviews.forEach((r, i) => {
    const day = dayOf(r.ms)
    const delta = i === 0 ? 0 : day - prevDay
    seq.push([r.rating, delta])
    prevDay = day
    if (i > 0 && delta > 0) items.push({ ms: r.ms, card: cardIndex, length: i + 1, seq: seq.slice() })
  })
  cardIndex++
}
items.sort((a, b) => a.ms - b.ms || a.card - b.card || a.length - b.length)

const kFolds = 5
const toBinding = (it) => new FSRSBindingItem(it.seq.map(([rating, delta]) => new FSRSBindingReview(rating, delta)))

// The FSRS benchmark's RMSE(bins): bins of (interval, long-term review count, lapse count).
function metrics(scored) {
  let loss = 0
  const bins = new Map()
  for (const { it, p, y } of scored) {
    const q = Math.min(Math.max(p, 1e-9), 1 - 1e-9)
    loss += -(y ? Math.log(q) : Math.log(1 - q))
    const delta = it.seq[it.seq.length - 1][1]
    const deltaBin = Math.round(2.48 * Math.pow(3.62, Math.floor(Math.log(delta) / Math.log(3.62))) * 100)
    const longTerm = it.seq.filter(([, d]) => d > 0).length
    const lengthBin = Math.round(1.99 * Math.pow(1.89, Math.floor(Math.log(longTerm + 1) / Math.log(1.89))))
    const lapses = it.seq.slice(0, -1).filter(([r, d]) => r === 1 && d > 0).length
    const lapseBin = lapses === 0 ? 0 : Math.round(1.65 * Math.pow(1.73, Math.floor(Math.log(lapses) / Math.log(1.73))))
    const key = `${deltaBin}/${lengthBin}/${lapseBin}`
    const b = bins.get(key) ?? { p: 0, y: 0, n: 0 }
    b.p += p
    b.y += y
    b.n += 1
    bins.set(key, b)
  }
  let sq = 0
  let total = 0
  for (const b of bins.values()) {
    sq += (b.p / b.n - b.y / b.n) ** 2 * b.n
    total += b.n
  }
  // AUC by rank sums, ties sharing their average rank.
  const ranked = scored.map(({ p, y }) => [p, y]).sort((a, b) => a[0] - b[0])
  let positives = 0
  let rankSum = 0
  for (let i = 0; i < ranked.length; ) {
    let j = i
    while (j < ranked.length && ranked[j][0] === ranked[i][0]) j++
    const avgRank = (i + j - 1) / 2 + 1
    for (let k = i; k < j; k++) if (ranked[k][1]) { positives++; rankSum += avgRank }
    i = j
  }
  const negatives = ranked.length - positives
  const auc = positives && negatives ? (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives) : 0.5
  return { logLoss: loss / scored.length, rmseBins: Math.sqrt(sq / total), auc }
}

function predict(parameters, it) {
  const f = new FSRSBinding(parameters)
  let memory = null
  for (const [rating, delta] of it.seq.slice(0, -1)) {
    const next = f.nextStates(memory, 0.9, delta)
    memory = next[['again', 'hard', 'good', 'easy'][rating - 1]].memory
  }
  const w20 = parameters[20]
  const factor = Math.pow(0.9, -1 / w20) - 1
  return Math.pow(1 + (factor * it.seq[it.seq.length - 1][1]) / memory.stability, -w20)
}

const segment = Math.floor(items.length / (kFolds + 1))
const scored = []
let fitSeconds = 0
for (let i = 0; i < kFolds; i++) {
  const testStart = (i + 1) * segment
  const testEnd = i === kFolds - 1 ? items.length : (i + 2) * segment
  const start = performance.now()
  const parameters = await computeParameters(items.slice(0, testStart).map(toBinding), {
    enableShortTerm,
    timeout: 1, // the progress poll interval (ms); the default 500 ms would dominate the wall time
  })
  fitSeconds += (performance.now() - start) / 1000
  for (const it of items.slice(testStart, testEnd))
    scored.push({ it, p: predict(parameters, it), y: it.seq[it.seq.length - 1][0] > 1 ? 1 : 0 })
}
const m = metrics(scored)

const trainSet = items.map(toBinding)
const start = performance.now()
const result = await evaluateWithTimeSeriesSplits(trainSet, { enableShortTerm, timeout: 1 })
const seconds = (performance.now() - start) / 1000
const version = JSON.parse(
  readFileSync(resolve(here, 'node_modules/@open-spaced-repetition/binding/package.json'), 'utf8')
).version
console.log(
  JSON.stringify({
    optimizer: 'fsrs-rs',
    short_term: enableShortTerm,
    binding_version: version,
    folds: 5,
    reviews: lines.length - 1,
    items: items.length,
    test_items: scored.length,
    test_log_loss: Number(m.logLoss.toFixed(6)),
    test_rmse_bins: Number(m.rmseBins.toFixed(6)),
    test_auc: Number(m.auc.toFixed(6)),
    wall_seconds: Number(fitSeconds.toFixed(3)),
    binding_evaluate_log_loss: Number(result.logLoss.toFixed(6)),
    binding_evaluate_rmse_bins: Number(result.rmseBins.toFixed(6)),
    binding_evaluate_wall_seconds: Number(seconds.toFixed(3)),
  })
)
