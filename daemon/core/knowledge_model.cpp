#include "core/knowledge_model.h"

#include <algorithm>
#include <cmath>

namespace retain::core {
namespace {
double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

double choose(int n, int k) {
    double r = 1;
    for (int i = 1; i <= k; ++i)
        r = r * (n - k + i) / i;
    return r;
}
}  // namespace

KnowledgeModel::KnowledgeModel(const Exam* exam, KnowledgeParameters p) : m_exam(exam), m_p(p) {
    if (!exam)
        return;
    Ability prior{p.priorMean, p.priorVar, 0, 0, 0};
    m_statements.assign(exam->taskStatements().size(), prior);
    m_domains.assign(static_cast<size_t>(exam->blueprint().domains_size()), prior);
    for (const auto& ts : exam->taskStatements()) {
        int d = 0;
        for (int i = 0; i < exam->blueprint().domains_size(); ++i)
            if (&exam->blueprint().domains(i) == ts.domain)
                d = i;
        m_domainOf.push_back(d);
    }
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

void KnowledgeModel::update(Ability& a, double b, double c, bool correct, double weight) {
    const double s = sigmoid(a.mean - b);
    const double p = std::clamp(c + (1 - c) * s, 1e-6, 1 - 1e-6);
    const double dp = (1 - c) * s * (1 - s);
    const double info = weight * dp * dp / (p * (1 - p));
    const double newVar = 1.0 / (1.0 / a.var + info);
    a.mean += newVar * weight * dp * ((correct ? 1.0 : 0.0) - p) / (p * (1 - p));
    a.var = newVar;
}

Ability KnowledgeModel::grown(const Ability& a, int64_t day) const {
    Ability g = a;
    if (g.questions + g.flashcards > 0 && day > g.lastDay)
        g.var = std::min(m_p.priorVar, g.var + m_p.driftPerDay * static_cast<double>(day - g.lastDay));
    return g;
}

void KnowledgeModel::observe(const ItemRef& item, bool correct, int64_t day) {
    if (!item.statement || item.exam != m_exam)
        return;
    const bool question = item.item->kind() != v1::FLASHCARD;
    const double b = itemDifficultyLogit(*item.item);
    const double c = guessingFloor(*item.item);
    const double w = question ? 1.0 : m_p.flashcardWeight;
    for (Ability* a : {&m_statements[item.statement->index], &m_domains[m_domainOf[item.statement->index]]}) {
        *a = grown(*a, day);
        update(*a, b, c, correct, a == &m_statements[item.statement->index] ? w : w * 0.5);
        a->lastDay = day;
        if (question)
            ++a->questions;
        else
            ++a->flashcards;
    }
}

Ability KnowledgeModel::posterior(int index, int64_t day) const {
    const Ability ts = grown(m_statements[index], day);
    const Ability dom = grown(m_domains[m_domainOf[index]], day);
    // The task statement's own evidence is its likelihood relative to the prior; the domain's posterior
    // (widened by the between-statement variance) replaces the flat prior.
    const double priorPrec = 1.0 / m_p.priorVar;
    const double ownPrec = std::max(0.0, 1.0 / ts.var - priorPrec);
    const double ownMeanNum = ts.mean / ts.var - m_p.priorMean * priorPrec;
    const double domVar = dom.var + m_p.betweenStatementVar;
    Ability out = ts;
    out.var = 1.0 / (ownPrec + 1.0 / domVar);
    out.mean = out.var * (ownMeanNum + dom.mean / domVar);
    return out;
}

MasteryEstimate KnowledgeModel::toMastery(const Ability& a) const {
    // Average exam question: b = 0, guessing floor of a 1-of-4 item. Mean and sd by the delta method.
    const double c = 0.25;
    const double s = sigmoid(a.mean);
    MasteryEstimate m;
    m.mean = c + (1 - c) * s;
    m.stddev = std::min(0.5, (1 - c) * s * (1 - s) * std::sqrt(a.var));
    m.questions = a.questions;
    m.flashcards = a.flashcards;
    return m;
}

MasteryEstimate KnowledgeModel::taskStatement(int index, int64_t day) const {
    if (index < 0 || index >= static_cast<int>(m_statements.size()))
        return {};
    return toMastery(posterior(index, day));
}

MasteryEstimate KnowledgeModel::domain(const std::string& domainId, int64_t day) const {
    if (!m_exam)
        return {};
    for (int i = 0; i < m_exam->blueprint().domains_size(); ++i)
        if (m_exam->blueprint().domains(i).id() == domainId)
            return toMastery(grown(m_domains[i], day));
    return {};
}

}  // namespace retain::core
