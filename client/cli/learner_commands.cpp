// retainctl learner create|list|show|set
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "core/study_day.h"

namespace retain::cli {
namespace {

void printLearner(const v1::Learner& l) {
    const auto& s = l.settings();
    std::cout << l.name() << "  (" << l.id() << ")\n"
              << "  exam:               " << s.exam_code()
              << (s.exam_date().empty() ? "" : " on " + s.exam_date()) << '\n'
              << "  time zone:          " << s.time_zone() << ", day starts at " << s.day_rollover_hour()
              << ":00\n"
              << "  daily limits:       " << s.new_items_per_day() << " new items, " << s.minutes_per_day()
              << " minutes\n"
              << "  desired retention:  " << s.desired_retention() << '\n'
              << "  leech threshold:    " << s.leech_threshold() << " lapses\n"
              << "  maximum interval:   " << s.maximum_interval_days() << " days\n"
              << "  events:             " << l.event_count() << '\n';
}

// Parses KEY=VALUE into the settings message and the field list; returns an error message or "".
std::string applySetting(const std::string& kv, v1::LearnerSettings& s, v1::UpdateSettingsRequest& req) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos)
        return "expected KEY=VALUE, got \"" + kv + "\"";
    const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    const auto* field = v1::LearnerSettings::descriptor()->FindFieldByName(key);
    if (!field)
        return "unknown setting \"" + key + "\"";
    const auto* refl = v1::LearnerSettings::GetReflection();
    try {
        switch (field->cpp_type()) {
            case google::protobuf::FieldDescriptor::CPPTYPE_STRING:
                refl->SetString(&s, field, value);
                break;
            case google::protobuf::FieldDescriptor::CPPTYPE_UINT32: {
                size_t used = 0;
                const long n = std::stol(value, &used);
                if (used != value.size() || n < 0)
                    return key + ": \"" + value + "\" is not a whole number";
                refl->SetUInt32(&s, field, static_cast<uint32_t>(n));
                break;
            }
            case google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE: {
                size_t used = 0;
                const double d = std::stod(value, &used);
                if (used != value.size())
                    return key + ": \"" + value + "\" is not a number";
                refl->SetDouble(&s, field, d);
                break;
            }
            default:
                return "setting \"" + key + "\" cannot be set from the command line";
        }
    } catch (const std::exception&) {
        return key + ": \"" + value + "\" is not a valid value";
    }
    req.add_fields(key);
    return "";
}

}  // namespace

void registerLearnerCommands(CLI::App& app, Globals& g, int& exitCode) {
    auto* learner = app.add_subcommand("learner", "create, list, show and configure learners");
    learner->require_subcommand(1);

    static std::string createName;
    static std::vector<std::string> createSettings;
    auto* create = learner->add_subcommand("create", "create a learner");
    create->add_option("name", createName, "learner name (letters, digits, . _ -)")->required();
    create->add_option("--set", createSettings, "initial setting KEY=VALUE (repeatable)");
    create->callback([&] {
        v1::CreateLearnerRequest req;
        req.set_name(createName);
        v1::UpdateSettingsRequest scratch;
        for (const auto& kv : createSettings)
            if (auto err = applySetting(kv, *req.mutable_settings(), scratch); !err.empty()) {
                exitCode = fail(err);
                return;
            }
        if (req.settings().time_zone().empty())  // study days roll over where the learner is
            req.mutable_settings()->set_time_zone(core::localTimeZoneName());
        auto r = g.connect()->createLearner(req);
        if (!r) {
            exitCode = fail(r.error());
            return;
        }
        if (g.json)
            std::cout << toJson(*r) << '\n';
        else
            printLearner(*r);
    });

    auto* list = learner->add_subcommand("list", "list learners on the daemon");
    list->callback([&] {
        auto r = g.connect()->listLearners();
        if (!r) {
            exitCode = fail(r.error());
            return;
        }
        if (g.json) {
            std::cout << toJson(*r) << '\n';
            return;
        }
        if (r->learners().empty())
            std::cout << "no learners yet (one named \"default\" is created on first use)\n";
        for (const auto& l : r->learners())
            std::cout << std::left << std::setw(24) << l.name() << ' ' << l.id() << "  "
                      << l.settings().exam_code() << "  " << l.event_count() << " events\n";
    });

    auto* show = learner->add_subcommand("show", "show a learner and their settings (default: --learner)");
    static std::string showName;
    show->add_option("name", showName, "learner name or id");
    show->callback([&] {
        auto client = g.connect();
        auto r = showName.empty() ? client->ensureLearner(g.learner) : [&] {
            v1::GetLearnerRequest req;
            req.set_learner(showName);
            return client->getLearner(req);
        }();
        if (!r) {
            exitCode = fail(r.error());
            return;
        }
        if (g.json)
            std::cout << toJson(*r) << '\n';
        else
            printLearner(*r);
    });

    auto* set = learner->add_subcommand("set",
                                        "change settings of --learner: KEY=VALUE ... (e.g. "
                                        "exam_date=2027-03-15; a date in the past is refused)");
    static std::vector<std::string> pairs;
    set->add_option("settings", pairs, "KEY=VALUE pairs")->required();
    set->callback([&] {
        auto client = g.connect();
        auto who = client->ensureLearner(g.learner);
        if (!who) {
            exitCode = fail(who.error());
            return;
        }
        v1::UpdateSettingsRequest req;
        req.set_learner_id(who->id());
        for (const auto& kv : pairs)
            if (auto err = applySetting(kv, *req.mutable_settings(), req); !err.empty()) {
                exitCode = fail(err);
                return;
            }
        auto r = client->updateSettings(req);
        if (!r) {
            exitCode = fail(r.error());
            return;
        }
        if (g.json)
            std::cout << toJson(*r) << '\n';
        else
            printLearner(*r);
    });

    learner
        ->add_subcommand(
            "optimize",
            "fit personal FSRS parameters to --learner's reviews now (a long history may need --timeout "
            "60000); adopted only when they predict the newest 20 % of reviews better")
        ->callback([&] {
            auto client = g.connect();
            const auto id = learnerIdOrFail(*client, g, exitCode);
            if (id.empty())
                return;
            v1::OptimizeParametersRequest req;
            req.set_learner_id(id);
            emit(client->optimizeParameters(req), g, exitCode, [](const v1::OptimizationReport& r) {
                std::printf("%s: %s\n", r.adopted() ? "adopted" : "kept the parameters in use",
                            r.reason().c_str());
                if (r.reviews() > 0)
                    std::printf(
                        "  %u reviews, %u held out; held-out log loss %.4f (in use) -> %.4f (fitted); "
                        "RMSE(bins) %.4f, AUC %.3f; %.1f s\n",
                        r.reviews(), r.held_out(), r.current_log_loss(), r.candidate_log_loss(),
                        r.rmse_bins(), r.auc(), r.seconds());
            });
        });
}

}  // namespace retain::cli
