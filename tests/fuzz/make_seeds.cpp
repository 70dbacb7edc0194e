// Writes the binary seeds of the fuzz targets (run once; the output is committed under corpus/):
//   retain_fuzz_seeds tests/fuzz/corpus
// event_check: one valid event of each kind; sync_push: a few valid batches of the fuzzed learner;
// validation: one request of each type (requests.h), its fields filled with plausible values.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "core/fsrs.h"
#include "fuzz_support.h"
#include "requests.h"
#include "retain/v1/events.pb.h"
#include "retain/v1/sync.pb.h"

using namespace retain;
namespace pb = google::protobuf;

namespace {

constexpr const char* kReplica = "00000000000000aa";
constexpr const char* kSession = "0123456789abcdef";

class Events {
public:
    v1::Event base() {
        v1::Event e;
        ++m_seq;
        e.set_id(std::string(kReplica) + "-" + std::to_string(m_seq));
        e.set_learner_id(fuzz::kLearner);
        e.set_hlc((static_cast<uint64_t>(fuzz::kEventMs) << 16) | m_seq);
        e.set_wall_time_ms(fuzz::kEventMs);
        return e;
    }
    v1::Event created() {
        auto e = base();
        e.mutable_learner_created()->set_name("ana");
        return e;
    }
    v1::Event answer(bool question) {
        auto e = base();
        auto* a = e.mutable_answer();
        a->set_item_id(question ? "2.1-mc-1" : "1.1-fc-1");
        a->set_item_revision(1);
        a->set_rating(v1::GOOD);
        a->set_correct(true);
        a->set_response_ms(8000);
        a->set_mode(v1::DAILY_REVIEW);
        if (question) {
            a->add_chosen_options(0);
            a->set_session_id(kSession);
        }
        return e;
    }
    v1::Event undo(const std::string& target) {
        auto e = base();
        e.mutable_undo()->set_answer_event_id(target);
        return e;
    }
    v1::Event setting(const std::string& key, const std::string& value) {
        auto e = base();
        e.mutable_setting()->set_key(key);
        e.mutable_setting()->set_value(value);
        return e;
    }
    v1::Event suspension() {
        auto e = base();
        e.mutable_suspension()->set_item_id("1.1-fc-1");
        e.mutable_suspension()->set_suspended(true);
        return e;
    }
    v1::Event mock() {
        auto e = base();
        auto* m = e.mutable_mock_exam();
        m->set_mock_id("fedcba9876543210");
        m->set_exam_code("MINI-01");
        for (int i = 1; i <= 10; ++i)
            m->add_item_ids("1.1-q" + std::to_string(i));
        m->add_unscored_numbers(3);
        m->add_unscored_numbers(7);
        m->add_flagged_numbers(5);
        m->set_scored_total(8);
        m->set_scored_correct(6);
        m->set_estimated_scaled_score(781);
        m->set_passed(true);
        m->set_exam_conditions(true);
        m->set_started_ms(fuzz::kEventMs - 20 * 60'000);
        m->set_finished_ms(fuzz::kEventMs);
        auto* d = m->add_domains();
        d->set_domain_id("1");
        d->set_correct(4);
        d->set_total(6);
        d = m->add_domains();
        d->set_domain_id("2");
        d->set_correct(2);
        d->set_total(2);
        return e;
    }
    v1::Event session(bool start) {
        auto e = base();
        auto* s = e.mutable_session();
        s->set_session_id(kSession);
        s->set_mode(v1::DRILL);
        s->set_start(start);
        s->set_scope("1.1");
        return e;
    }
    v1::Event parameters() {
        auto e = base();
        auto* p = e.mutable_parameters();
        for (double w : core::FsrsParameters::defaults().w)
            p->add_w(w);
        p->set_previous_log_loss(0.46);
        p->set_new_log_loss(0.41);
        p->set_review_count(812);
        return e;
    }

private:
    uint32_t m_seq = 0;
};

void write(const std::filesystem::path& dir, const std::string& name, const std::string& bytes) {
    std::filesystem::create_directories(dir);
    fuzz::writeFile((dir / name).string(), bytes);
}

// A plausible value for a string field, by its name.
std::string textFor(const std::string& field) {
    if (field.find("learner") != std::string::npos)
        return fuzz::kLearner;
    if (field.find("session_id") != std::string::npos || field == "mock_id")
        return kSession;
    if (field.find("event_id") != std::string::npos)
        return std::string(kReplica) + "-1";
    if (field.find("item_id") != std::string::npos)
        return "1.1-fc-1";
    if (field.find("date") != std::string::npos)
        return "2026-06-01";
    if (field == "exam_code" || field == "exam")
        return "MINI-01";
    if (field == "time_zone")
        return "Europe/Berlin";
    if (field == "path")
        return "/tmp/retain-backup.db";
    if (field.find("token") != std::string::npos)
        return std::string(64, 'c');
    if (field == "prefix")
        return "cccccccc";
    if (field == "server" || field == "address")
        return "sync.example.org:443";
    return "ana";
}

// Sets every field of `m` (one element of repeated fields), nested messages to `depth` levels.
void fill(pb::Message& m, int depth) {
    const auto* d = m.GetDescriptor();
    const auto* r = m.GetReflection();
    for (int i = 0; i < d->field_count(); ++i) {
        const auto* f = d->field(i);
        const bool rep = f->is_repeated();
        switch (f->cpp_type()) {
            case pb::FieldDescriptor::CPPTYPE_STRING:
                rep ? r->AddString(&m, f, textFor(f->name())) : r->SetString(&m, f, textFor(f->name()));
                break;
            case pb::FieldDescriptor::CPPTYPE_UINT32:
                rep ? r->AddUInt32(&m, f, 1) : r->SetUInt32(&m, f, 1);
                break;
            case pb::FieldDescriptor::CPPTYPE_INT32:
                rep ? r->AddInt32(&m, f, 1) : r->SetInt32(&m, f, 1);
                break;
            case pb::FieldDescriptor::CPPTYPE_UINT64:
                rep ? r->AddUInt64(&m, f, 1) : r->SetUInt64(&m, f, 1);
                break;
            case pb::FieldDescriptor::CPPTYPE_INT64: {
                const int64_t v = f->name().find("ms") != std::string::npos ? fuzz::kEventMs : 1;
                rep ? r->AddInt64(&m, f, v) : r->SetInt64(&m, f, v);
                break;
            }
            case pb::FieldDescriptor::CPPTYPE_DOUBLE:
                rep ? r->AddDouble(&m, f, 0.9) : r->SetDouble(&m, f, 0.9);
                break;
            case pb::FieldDescriptor::CPPTYPE_FLOAT:
                rep ? r->AddFloat(&m, f, 0.9f) : r->SetFloat(&m, f, 0.9f);
                break;
            case pb::FieldDescriptor::CPPTYPE_BOOL:
                rep ? r->AddBool(&m, f, true) : r->SetBool(&m, f, true);
                break;
            case pb::FieldDescriptor::CPPTYPE_ENUM: {
                const auto* e = f->enum_type();
                const auto* v = e->value(e->value_count() > 1 ? 1 : 0);
                rep ? r->AddEnum(&m, f, v) : r->SetEnum(&m, f, v);
                break;
            }
            case pb::FieldDescriptor::CPPTYPE_MESSAGE:
                if (depth > 0)
                    fill(rep ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), depth - 1);
                break;
        }
    }
}

// Requests whose filled form validation would refuse early: made valid, so that fuzzing starts deep.
void tune(pb::Message&) {}
void tune(v1::CreateLearnerRequest& r) {
    r.clear_id();
    r.mutable_settings()->set_leech_threshold(8);
}
void tune(v1::UpdateSettingsRequest& r) {
    r.clear_fields();
    for (const char* key : {"exam_date", "time_zone", "desired_retention"})
        r.add_fields(key);
}
void tune(v1::SearchItemsRequest& r) {
    r.set_page_token("20");
}
void tune(v1::StartSessionRequest& r) {
    r.clear_scope();
}
void tune(v1::CreateAccessTokenRequest& r) {
    r.clear_learner();
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR (tests/fuzz/corpus)\n", argv[0]);
        return 2;
    }
    const std::filesystem::path out(argv[1]);

    Events mk;
    const std::vector<std::pair<std::string, v1::Event>> events = {
        {"learner-created", mk.created()},
        {"answer-flashcard", mk.answer(false)},
        {"answer-question", mk.answer(true)},
        {"undo", mk.undo(std::string(kReplica) + "-2")},
        {"setting-time-zone", mk.setting("time_zone", "Europe/Berlin")},
        {"setting-retention", mk.setting("desired_retention", "0.9")},
        {"setting-exam-date", mk.setting("exam_date", "2026-09-01")},
        {"suspension", mk.suspension()},
        {"mock-exam", mk.mock()},
        {"session-start", mk.session(true)},
        {"parameters", mk.parameters()},
    };
    for (const auto& [name, e] : events)
        write(out / "event_check", name, e.SerializeAsString());

    auto batch = [](std::initializer_list<v1::Event> list) {
        v1::PushBatch b;
        b.set_learner_id(fuzz::kLearner);
        for (const auto& e : list)
            *b.add_events() = e;
        return b.SerializeAsString();
    };
    Events push;
    const auto first = push.created();
    const auto answer = push.answer(false);
    write(out / "sync_push", "created-answer-undo", batch({first, answer, push.undo(answer.id())}));
    write(out / "sync_push", "session", batch({push.session(true), push.answer(true), push.session(false)}));
    write(out / "sync_push", "settings-mock", batch({push.setting("day_rollover_hour", "4"), push.mock()}));
    write(out / "sync_push", "resend", batch({first, push.suspension(), first}));
    write(out / "sync_push", "parameters", batch({push.parameters()}));

    for (size_t i = 0; i < fuzz::kRequestCount; ++i) {
        fuzz::withRequestType(i, [&](auto request) {
            fill(request, 2);
            tune(request);
            const std::string name =
                (i < 10 ? "0" : "") + std::to_string(i) + "-" + request.GetDescriptor()->name();
            write(out / "validation", name,
                  std::string(1, static_cast<char>(i)) + request.SerializeAsString());
        });
    }
    return 0;
}
