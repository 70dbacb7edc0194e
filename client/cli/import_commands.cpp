// retainctl import reviews FILE.csv — another tool's review history, for personal FSRS parameters.
#include <iostream>

#include "cli/commands.h"
#include "core/review_log_csv.h"

namespace retain::cli {

void registerImportCommands(CLI::App& app, Globals& g, int& exitCode) {
    auto* import = app.add_subcommand("import", "import data from other tools");
    import->require_subcommand(1);
    static std::string file;
    auto* reviews = import->add_subcommand(
        "reviews",
        "import a review log CSV (card_id, review_rating 1-4, review_time ISO 8601, review_duration ms)");
    reviews->add_option("file", file, "CSV file")->required();
    reviews->callback([&] {
        // Parse everything first: a bad row stops the import before anything is sent.
        auto parsed = core::readReviewLogCsv(file);
        if (!parsed) {
            exitCode = fail(file + ": " + parsed.error().message);
            return;
        }
        auto client = g.connect();
        auto who = client->ensureLearner(g.learner);
        if (!who) {
            exitCode = fail(who.error());
            return;
        }
        v1::ImportReviewsResponse total;
        const auto& rows = *parsed;
        constexpr size_t kBatch = 5000;
        for (size_t start = 0; start < rows.size(); start += kBatch) {
            v1::ImportReviewsRequest req;
            req.set_learner_id(who->id());
            for (size_t i = start; i < std::min(rows.size(), start + kBatch); ++i) {
                auto* r = req.add_reviews();
                r->set_card_id(rows[i].cardId);
                r->set_rating(static_cast<v1::Rating>(rows[i].rating));
                r->set_time_ms(rows[i].timeMs);
                r->set_duration_ms(rows[i].durationMs > 0
                                       ? static_cast<uint32_t>(std::min<int64_t>(rows[i].durationMs, 3600000))
                                       : 0);
            }
            auto r = client->importReviews(req);
            if (!r) {
                std::cerr << "retainctl: stopped after " << total.imported()
                          << " imported reviews (batches are atomic; run the "
                          << "same command again to resume: already imported reviews are skipped)\n";
                exitCode = fail(r.error());
                return;
            }
            total.set_imported(total.imported() + r->imported());
            total.set_duplicates(total.duplicates() + r->duplicates());
            total.set_total_imported(r->total_imported());
        }
        if (g.json)
            std::cout << toJson(total) << '\n';
        else
            std::cout << "imported " << total.imported() << " reviews (" << total.duplicates()
                      << " already present) from " << file << "; the learner has " << total.total_imported()
                      << " imported reviews\n";
    });
}

}  // namespace retain::cli
