#include "core/knowledge_model.h"

#include <algorithm>
#include <cmath>

namespace retain::core {
namespace {
double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// Adds `by` practice opportunities and returns how much older that makes what came before, in log
// practice: ln((1 + practice + by) / (1 + practice)).
double older(double& practice, double by) {
    const double step = std::log((1 + practice + by) / (1 + practice));
    practice += by;
    return step;
}

double choose(int n, int k) {
    double r = 1;
    for (int i = 1; i <= k; ++i)
        r = r * (n - k + i) / i;
    return r;
}
}  // namespace

KnowledgeModel::KnowledgeModel(const Exam* exam, KnowledgeParameters p)
    : m_exam(exam),
      m_p(p),
      m_flashcardOffsetPrecision(1.0 / p.flashcardOffsetPriorVar),
      m_learningRatePrecision(1.0 / (p.learningRatePriorSd * p.learningRatePriorSd)) {
    if (!exam)
        return;
    m_statements.assign(exam->taskStatements().size(), Evidence{});
    m_domains.assign(static_cast<size_t>(exam->blueprint().domains_size()), Evidence{});
    m_firstExposures.assign(m_domains.size(), Evidence{});
    m_seenCount.assign(m_statements.size(), 0);
    for (const auto& ts : exam->taskStatements()) {
        int d = 0;
        for (int i = 0; i < exam->blueprint().domains_size(); ++i)
            if (&exam->blueprint().domains(i) == ts.domain)
                d = i;
        m_domainOf.push_back(d);
    }
    m_statementsIn.assign(m_domains.size(), 0);
    m_practice.assign(m_statements.size(), 0.0);
    m_domainPractice.assign(m_domains.size(), 0.0);
    for (int d : m_domainOf)
        ++m_statementsIn[static_cast<size_t>(d)];
}

double KnowledgeModel::itemDifficultyLogit(const v1::Item& item) {
    // Difficulty prior 1..5 maps to -1.2 .. +1.2 logits around an average question.
    const int d = item.difficulty() == 0 ? 3 : static_cast<int>(item.difficulty());
    return (d - 3) * 0.6;
}

double KnowledgeModel::guessingFloor(const v1::Item& item) {
    switch (item.kind()) {
        case v1::MULTIPLE_CHOICE:
            return 1.0 / std::max(2, item.options_size());
        case v1::MULTIPLE_RESPONSE:
            return 1.0 / choose(item.options_size(), std::max(1, correctCount(item)));
        default:
            return 0.0;
    }
}

double KnowledgeModel::probabilityCorrect(double theta, double b, double c) {
    return c + (1 - c) * sigmoid(theta - b);
}

Evidence KnowledgeModel::decayed(const Evidence& e, int64_t day) const {
    Evidence out = e;
    if (day > e.lastDay) {
        const double f = std::exp2(-static_cast<double>(day - e.lastDay) / m_p.halfLifeDays);
        out.precision *= f;
        out.scaleLog += std::log(f);
    }
    return out;
}

Evidence KnowledgeModel::current(const Evidence& e, int64_t day) const {
    Evidence out = decayed(e, day);
    out.mean += m_learningRate * out.age;
    return out;
}

void KnowledgeModel::updateAged(Evidence& e, const Ability& prior, double b, double c, bool correct,
                                double weight) const {
    // In natural parameters: sum of precision, of precision x mean and of precision x age. The Laplace
    // step sees the evidence carried forward; the new answer is added at age 0.
    Evidence now = e;
    now.mean += m_learningRate * e.age;
    const double before = e.precision;
    update(now, prior, b, c, correct, weight);
    e.precision = now.precision;
    e.age = now.precision > 1e-12 ? before * e.age / now.precision : 0;
    e.mean = now.mean - m_learningRate * e.age;
}

Ability KnowledgeModel::combine(const Ability& prior, const Evidence& e) {
    Ability out;
    out.var = 1.0 / (1.0 / prior.var + e.precision);
    out.mean = out.var * (prior.mean / prior.var + e.precision * e.mean);
    return out;
}

void KnowledgeModel::update(Evidence& e, const Ability& prior, double b, double c, bool correct,
                            double weight) {
    const Ability post = combine(prior, e);
    const double s = sigmoid(post.mean - b);
    const double p = std::clamp(c + (1 - c) * s, 1e-6, 1 - 1e-6);
    const double dp = (1 - c) * s * (1 - s);
    const double info = weight * dp * dp / (p * (1 - p));
    const double newVar = 1.0 / (1.0 / post.var + info);
    const double newMean = post.mean + newVar * weight * dp * ((correct ? 1.0 : 0.0) - p) / (p * (1 - p));
    // Back to a likelihood summary: the posterior minus the prior, in natural parameters.
    e.precision += info;
    if (e.precision > 1e-12)
        e.mean = (newMean / newVar - prior.mean / prior.var) / e.precision;
}

void KnowledgeModel::retract(Evidence& e, const Contribution& c, double practice) {
    if (c.precision <= 0)
        return;
    const double f = std::exp(e.scaleLog - c.scaleLog);
    const double p = c.precision * f;
    const double rest = e.precision - p;
    if (rest <= 1e-9) {
        e.precision = 0;
        e.mean = 0;
        e.age = 0;
        return;
    }
    e.mean = (e.precision * e.mean - c.precisionMean * f) / rest;
    e.age = (e.precision * e.age - p * std::log((1 + practice) / (1 + c.practice))) / rest;
    e.precision = rest;
}

Ability KnowledgeModel::domainPosterior(int domain, int64_t day) const {
    return combine({m_p.priorMean, m_p.priorVar}, current(m_domains[static_cast<size_t>(domain)], day));
}

void KnowledgeModel::observe(const ItemRef& item, bool correct, int64_t day) {
    if (!item.statement || item.exam != m_exam)
        return;
    const bool question = item.item->kind() != v1::FLASHCARD;
    const int index = item.statement->index;
    double b = itemDifficultyLogit(*item.item);
    if (!question) {
        // The offset first, against the current estimate (one Laplace step), then the flashcard as
        // evidence about the statement on the learner's own flashcard scale.
        const double mean = posterior(index, day).mean;
        const double s = sigmoid(mean - b + m_flashcardOffset);
        m_flashcardOffsetPrecision += s * (1 - s);
        m_flashcardOffset += ((correct ? 1.0 : 0.0) - s) / m_flashcardOffsetPrecision;
        b -= m_flashcardOffset;
    }
    const double c = guessingFloor(*item.item);
    const double w = question ? 1.0 : m_p.flashcardWeight;
    const int domain = m_domainOf[static_cast<size_t>(index)];
    const bool firstExposure = item.index >= m_seen.size() || !m_seen[item.index];
    if (question && firstExposure) {
        // The learning rate, one Laplace step against the current estimate: how the prediction moves
        // with the rate is the evidence's age, through the statement's and the domain's shares.
        const Ability dom = domainPosterior(domain, day);
        const Evidence de = decayed(m_domains[static_cast<size_t>(domain)], day);
        const Evidence se = decayed(m_statements[static_cast<size_t>(index)], day);
        const double domPrec = 1.0 / m_p.priorVar + de.precision;
        const double tsPriorPrec = 1.0 / (dom.var + m_p.betweenStatementVar);
        const double gDomain = de.precision / domPrec * de.age;
        const double g = (se.precision * se.age + tsPriorPrec * gDomain) / (tsPriorPrec + se.precision);
        const double s = sigmoid(posterior(index, day).mean - b);
        const double p = std::clamp(c + (1 - c) * s, 1e-6, 1 - 1e-6);
        const double dp = (1 - c) * s * (1 - s) * g;
        m_learningRatePrecision += dp * dp / (p * (1 - p));
        m_learningRate += dp * ((correct ? 1.0 : 0.0) - p) / (p * (1 - p)) / m_learningRatePrecision;
    }
    if (m_seen.size() <= item.index)
        m_seen.resize(item.index + 1, 0);
    if (!m_seen[item.index]) {
        m_seen[item.index] = 1;
        if (!item.item->mock_reserve())  // coverage is of the study items
            ++m_seenCount[static_cast<size_t>(index)];
        if (question) {
            auto& e = m_firstExposures[static_cast<size_t>(m_domainOf[static_cast<size_t>(index)])];
            e = decayed(e, day);
            e.precision *= m_p.statementTracking;
            updateAged(e, {m_p.priorMean, m_p.priorVar}, b, c, correct, 1.0);
            e.lastDay = day;
            ++e.questions;
        }
    }
    if (m_shares.size() <= item.index)
        m_shares.resize(item.index + 1);
    auto& shares = m_shares[item.index];
    Evidence* levels[] = {&m_statements[static_cast<size_t>(index)], &m_domains[static_cast<size_t>(domain)]};
    const double practice[] = {m_practice[static_cast<size_t>(index)],
                               m_domainPractice[static_cast<size_t>(domain)]};
    // A repeated item: its earlier answer's share leaves both levels before anything reads them.
    for (int level = 0; level < 2; ++level) {
        *levels[level] = decayed(*levels[level], day);
        if (m_p.latestAnswerPerItem)
            retract(*levels[level], shares[static_cast<size_t>(level)], practice[level]);
    }
    // The statement first (its prior is the domain's current posterior), then the domain.
    Ability tsPrior = domainPosterior(domain, day);
    tsPrior.var += m_p.betweenStatementVar;
    for (int level = 0; level < 2; ++level) {
        const bool isStatement = level == 0;
        Evidence* e = levels[level];
        // Tracking: each new answer discounts the older evidence a little (KnowledgeParameters).
        const double tracking = isStatement ? m_p.statementTracking : m_p.domainTracking;
        e->precision *= tracking;
        e->scaleLog += std::log(tracking);
        const double precisionBefore = e->precision, naturalBefore = e->precision * e->mean;
        updateAged(*e, isStatement ? tsPrior : Ability{m_p.priorMean, m_p.priorVar}, b, c, correct,
                   isStatement ? w : w * 0.5);
        shares[static_cast<size_t>(level)] = {e->precision - precisionBefore,
                                              e->precision * e->mean - naturalBefore, e->scaleLog,
                                              practice[level]};
        e->lastDay = day;
        if (question)
            ++e->questions;
        else
            ++e->flashcards;
    }
    // The answer was practice: everything known about the statement is one opportunity older, and
    // about its domain (and the domain's first exposures) one opportunity per statement of the domain.
    // Ages count in log practice (the power law of practice: each opportunity is worth less than the
    // one before), so the age of an answer n opportunities ago, after N in all, is ln((1 + N) / (1 + n)).
    const double perStatement = 1.0 / std::max(1, m_statementsIn[static_cast<size_t>(domain)]);
    m_statements[static_cast<size_t>(index)].age += older(m_practice[static_cast<size_t>(index)], 1.0);
    const double domainStep = older(m_domainPractice[static_cast<size_t>(domain)], perStatement);
    m_domains[static_cast<size_t>(domain)].age += domainStep;
    m_firstExposures[static_cast<size_t>(domain)].age += domainStep;
}

Ability KnowledgeModel::posterior(int index, int64_t day) const {
    Ability prior = domainPosterior(m_domainOf[static_cast<size_t>(index)], day);
    prior.var += m_p.betweenStatementVar;
    return combine(prior, current(m_statements[static_cast<size_t>(index)], day));
}

double KnowledgeModel::sharedDomainSd(int index, int64_t day) const {
    const Ability dom = domainPosterior(m_domainOf[static_cast<size_t>(index)], day);
    const double priorPrec = 1.0 / (dom.var + m_p.betweenStatementVar);
    const double own = decayed(m_statements[static_cast<size_t>(index)], day).precision;
    const double w = priorPrec / (priorPrec + own);  // weight of the domain in the statement's mean
    return w * std::sqrt(dom.var);
}

KnowledgeModel KnowledgeModel::withPlannedStudy(const PlannedStudy& plan, int64_t today, int64_t day) const {
    KnowledgeModel out = *this;
    if (!m_exam)
        return out;
    // The practice still to come lifts what the evidence says by the learning rate, never below 0: more
    // practice does not make a learner worse, and a negative estimate says that the planner put later
    // first answers on material harder for the learner than its priors say.
    const double rate = std::max(0.0, m_learningRate);
    std::vector<double> domainAnswers(m_domains.size(), 0.0);
    for (size_t i = 0; i < m_statements.size(); ++i) {
        const double added = i < plan.newItems.size() ? std::max(0.0, plan.newItems[i]) : 0.0;
        const int items = static_cast<int>(m_exam->itemsOf(static_cast<int>(i)).size());
        out.m_seenCount[i] = std::min(items, m_seenCount[i] + static_cast<int>(std::lround(added)));
        const double answers = i < plan.answers.size() ? std::max(0.0, plan.answers[i]) : 0.0;
        out.m_statements[i].mean += rate * older(out.m_practice[i], answers);
        domainAnswers[static_cast<size_t>(m_domainOf[i])] += answers;
    }
    for (size_t d = 0; d < m_domains.size(); ++d) {
        const double lift =
            rate * older(out.m_domainPractice[d], domainAnswers[d] / std::max(1, m_statementsIn[d]));
        out.m_domains[d].mean += lift;
        out.m_firstExposures[d].mean += lift;
    }
    // Kept as fresh as today: decayed to today, then none between today and the day.
    const auto renew = [&](std::vector<Evidence>& levels) {
        for (auto& e : levels) {
            e = decayed(e, today);
            e.lastDay = std::max(e.lastDay, day);
        }
    };
    renew(out.m_statements);
    renew(out.m_domains);
    renew(out.m_firstExposures);
    return out;
}

double KnowledgeModel::coverage(int index) const {
    if (!m_exam || index < 0 || index >= static_cast<int>(m_seenCount.size()))
        return 0;
    const size_t n = m_exam->itemsOf(index).size();
    return n ? static_cast<double>(m_seenCount[static_cast<size_t>(index)]) / static_cast<double>(n) : 1.0;
}

Ability KnowledgeModel::unstudied(int domain, int64_t day) const {
    return combine({m_p.priorMean, m_p.priorVar},
                   current(m_firstExposures[static_cast<size_t>(domain)], day));
}

MasteryEstimate KnowledgeModel::toMastery(const Ability& a, const Evidence& e) const {
    // Average exam question: b = 0, guessing floor of a 1-of-4 item. Mean and sd by the delta method.
    const double c = 0.25;
    const double s = sigmoid(a.mean);
    MasteryEstimate m;
    m.mean = c + (1 - c) * s;
    m.stddev = std::min(0.5, (1 - c) * s * (1 - s) * std::sqrt(a.var));
    m.questions = e.questions;
    m.flashcards = e.flashcards;
    return m;
}

MasteryEstimate KnowledgeModel::taskStatement(int index, int64_t day) const {
    if (index < 0 || index >= static_cast<int>(m_statements.size()))
        return {};
    return toMastery(posterior(index, day), m_statements[static_cast<size_t>(index)]);
}

MasteryEstimate KnowledgeModel::domain(const std::string& domainId, int64_t day) const {
    if (!m_exam)
        return {};
    for (int i = 0; i < m_exam->blueprint().domains_size(); ++i)
        if (m_exam->blueprint().domains(i).id() == domainId)
            return toMastery(domainPosterior(i, day), m_domains[static_cast<size_t>(i)]);
    return {};
}

}  // namespace retain::core
