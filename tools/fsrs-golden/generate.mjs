// Generates tests/data/fsrs/golden.json: FSRS-6 reference vectors computed by ts-fsrs (the version
// pinned in package.json), for tests/core/fsrs_test.cpp.
//
//   cd tools/fsrs-golden && npm ci && node generate.mjs
//
// A developer tool, never run by the build. Deterministic: the same ts-fsrs gives the same file.
//
// What is mirrored: ts-fsrs in its long-term mode, fsrs({ enable_short_term: false }): the
// LongTermScheduler (whole days, no learning or relearning steps in minutes) and no same-day stability
// formula, so a review on the same day as the previous one takes the long-term formulas at
// retrievability 1. That is how Retain schedules. Review times are placed at varying hours inside UTC
// calendar days, so ts-fsrs's elapsed days (UTC date difference) are the whole days between the
// learner's days.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

import { fsrs, createEmptyCard, StrategyMode, Rating, default_w } from 'ts-fsrs'

const here = dirname(fileURLToPath(import.meta.url))
const out = resolve(here, '../../tests/data/fsrs/golden.json')
const tsFsrsVersion = JSON.parse(
  readFileSync(resolve(here, 'node_modules/ts-fsrs/package.json'), 'utf8')
).version

// Small deterministic PRNG (mulberry32) so the vectors never change between runs.
function rng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Three parameter sets: the published defaults, and two non-default ones, one with a different
// decay (FSRS-5's 0.5, steeper forgetting) and one with a shallow decay and strong same-day terms.
const parameterSets = [
  { name: 'default', w: [...default_w] },
  {
    name: 'steep-decay',
    w: [0.4072, 1.1829, 3.1262, 15.4722, 7.2102, 0.5316, 1.0651, 0.0234, 1.616, 0.1544, 1.0824,
      1.9813, 0.0953, 0.2975, 2.2042, 0.2407, 2.9466, 0.5034, 0.6567, 0.15, 0.5],
  },
  {
    name: 'shallow-decay-strong-same-day',
    w: [0.05, 0.9, 4.1, 30.0, 4.8, 1.9, 2.2, 0.3, 2.4, 0.05, 1.4, 0.6, 0.2, 0.5, 0.9, 0.4, 3.5,
      1.2, 0.8, 0.3, 0.12],
  },
]

function makeScheduler(w, options, seedRef) {
  const f = fsrs({
    w,
    enable_short_term: false,
    request_retention: options.desiredRetention,
    maximum_interval: options.maximumInterval,
    enable_fuzz: options.fuzz,
  })
  if (f.parameters.enable_short_term !== false) throw new Error('expected the long-term mode')
  f.useStrategy(StrategyMode.SEED, () => seedRef.value)
  return f
}

const kDayMs = 86400000
const kBase = Date.UTC(2024, 0, 1)

// Plays one sequence of (day, rating) reviews; records the reference's view after every step.
function play(setIndex, options, reviews, seedBase) {
  const seedRef = { value: '0' }
  const f = makeScheduler(parameterSets[setIndex].w, options, seedRef)
  const seeds = rng(seedBase)
  let card = null
  let lastDay = 0
  const steps = []
  for (const [i, { day, rating, minute }] of reviews.entries()) {
    const now = new Date(kBase + day * kDayMs + minute * 60000)
    // A 64-bit seed; C++ passes it as uint64_t and seeds Alea with its decimal string.
    const seed = (BigInt(Math.floor(seeds() * 2 ** 32)) << 32n) | BigInt(Math.floor(seeds() * 2 ** 32))
    seedRef.value = seed.toString()
    const before = card ?? createEmptyCard(now)
    const elapsed = card ? day - lastDay : 0
    const rBefore = card ? f.forgetting_curve(elapsed, card.stability) : 0
    const preview = f.repeat(before, now)
    const chosen = preview[rating]
    card = chosen.card
    lastDay = day
    steps.push({
      day,
      rating,
      seed: seedRef.value,
      elapsed,
      r_before: rBefore,
      preview: [1, 2, 3, 4].map((g) => preview[g].card.scheduled_days),
      stability: card.stability,
      difficulty: card.difficulty,
      interval: card.scheduled_days,
      // Retrievability of the new state at a few later times.
      r_probe: [1, 3, 10, 45, 400].map((t) => [t, f.forgetting_curve(t, card.stability)]),
    })
    if (i === 0 && elapsed !== 0) throw new Error('first review must have elapsed 0')
  }
  return { set: setIndex, options, steps }
}

// Random histories: gaps that are same-day, early, on time (the scheduled interval), late, or very
// late; ratings weighted towards Good with plenty of lapses.
function randomReviews(r, length) {
  const reviews = []
  let day = Math.floor(r() * 50)
  let scheduled = 0
  for (let i = 0; i < length; i++) {
    if (i > 0) {
      const u = r()
      let gap
      if (u < 0.15) gap = 0
      else if (u < 0.3) gap = 1 + Math.floor(r() * 3)
      else if (u < 0.65) gap = Math.max(1, scheduled)
      else if (u < 0.85) gap = Math.max(1, Math.round(scheduled * (1.2 + 2 * r())))
      else gap = Math.max(1, Math.floor(r() * 400))
      day += gap
    }
    const v = r()
    const rating = v < 0.22 ? Rating.Again : v < 0.32 ? Rating.Hard : v < 0.88 ? Rating.Good : Rating.Easy
    reviews.push({ day, rating, minute: Math.floor(r() * 840) })
    // A rough interval guess for the next gap; the exact schedule is irrelevant to the vectors.
    scheduled = rating === Rating.Again ? 1 : Math.min(3000, Math.max(1, Math.round((scheduled + 1) * 2.5)))
  }
  return reviews
}

// Hand-picked histories for the edges.
function fixed(days, ratings) {
  return days.map((day, i) => ({ day, rating: ratings[i], minute: 30 + ((i * 97) % 700) }))
}
const handPicked = [
  // Same-day relearning after a lapse, then spaced reviews.
  fixed([0, 0, 0, 1, 1, 3, 10, 10, 30], [1, 1, 3, 3, 2, 3, 1, 3, 3]),
  // Easy every time at the due date: stability towards its maximum and intervals to the cap.
  fixed([0, 15, 100, 600, 4000, 24000, 60000, 140000], [4, 4, 4, 4, 4, 4, 4, 4]),
  // Again every day: difficulty to its maximum and stability to its floor.
  fixed([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
  // Hard only, on the same day and later.
  fixed([0, 0, 2, 2, 9, 30, 31], [2, 2, 2, 2, 2, 2, 2]),
  // A very long absence then a lapse and recovery.
  fixed([0, 3, 12, 2000, 2001, 2001, 2005, 2020], [3, 3, 3, 1, 3, 4, 3, 2]),
  // A mature item graded Good, then Again an hour later, then Good again the same day (a failed item
  // shown again later in a session), then on time.
  fixed([0, 15, 100, 600, 2500, 2500, 2500, 2507], [4, 4, 4, 4, 3, 1, 3, 3]),
  // A mature item lapsing on its due day, relearnt the same day with Hard then Easy.
  fixed([0, 20, 150, 900, 900, 900, 905], [4, 4, 3, 1, 2, 4, 3]),
  // Drills: the same item answered four times in one day, twice a week.
  fixed([0, 0, 0, 0, 7, 7, 7, 7, 40], [3, 3, 4, 3, 3, 1, 3, 3, 3]),
  // Each first rating.
  fixed([0, 1], [1, 3]), fixed([0, 1], [2, 3]), fixed([0, 1], [3, 3]), fixed([0, 1], [4, 3]),
]

const optionVariants = [
  { desiredRetention: 0.9, maximumInterval: 36500, fuzz: false },
  { desiredRetention: 0.8, maximumInterval: 36500, fuzz: false },
  { desiredRetention: 0.95, maximumInterval: 180, fuzz: false },
  { desiredRetention: 0.9, maximumInterval: 36500, fuzz: true },
  { desiredRetention: 0.85, maximumInterval: 400, fuzz: true },
]

const sequences = []
let seedBase = 1
for (let set = 0; set < parameterSets.length; set++) {
  for (const options of optionVariants) {
    for (const reviews of handPicked) sequences.push(play(set, options, reviews, seedBase++))
    const r = rng(1000 + set * 100 + seedBase)
    const count = options.desiredRetention === 0.9 && !options.fuzz ? 30 : 12
    for (let k = 0; k < count; k++)
      sequences.push(play(set, options, randomReviews(r, 4 + Math.floor(r() * 16)), seedBase++))
  }
}

// The forgetting curve on a grid of elapsed times and stabilities, for each parameter set.
const retrievability = []
for (let set = 0; set < parameterSets.length; set++) {
  const f = makeScheduler(parameterSets[set].w, optionVariants[0], { value: '0' })
  for (const s of [0.001, 0.1, 0.5, 1, 2.3065, 7, 30, 365, 5000, 36500])
    for (const t of [0, 0.5, 1, 2, 5, 10, 30, 100, 365, 3650, 36500])
      retrievability.push([set, t, s, f.forgetting_curve(t, s)])
}

const golden = {
  comment: 'Generated by tools/fsrs-golden/generate.mjs from ts-fsrs; do not edit by hand.',
  ts_fsrs_version: tsFsrsVersion,
  parameter_sets: parameterSets,
  retrievability,
  sequences,
}
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, JSON.stringify(golden) + '\n')
const steps = sequences.reduce((n, s) => n + s.steps.length, 0)
console.log(`wrote ${out}: ${sequences.length} sequences, ${steps} steps, ts-fsrs ${tsFsrsVersion}`)
