"""`cchc demo`: fills an empty database with the demonstration province. Safe to run again."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from cchc.accounts.models import User
from cchc.core.settings_store import DEMO_KEY, get_setting, set_setting
from cchc.demo import clock
from cchc.demo.onestop import load_demo_dossiers, load_demo_official_scores, run_example_import
from cchc.demo.parindex import load_demo_parindex
from cchc.demo.people import DEMO_PASSWORD, demo_people, load_demo_people, planner
from cchc.demo.plans import load_demo_plan
from cchc.demo.surveys import load_demo_surveys
from cchc.demo.units import demo_agencies, demo_province, load_demo_units
from cchc.surveys.indices import campaign_total
from cchc.surveys.models import Feedback
from cchc.units.models import Unit

PLANS_KEY = "demo_plans"
ONESTOP_KEY = "demo_onestop"
PARINDEX_KEY = "demo_parindex"
SURVEYS_KEY = "demo_surveys"


def _last_full_months(count: int) -> list[datetime.date]:
    first = clock.today().replace(day=1)
    months = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return months


class Command(BaseCommand):
    help = "Load the demonstration province (real units of Khánh Hòa, made-up people and data)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the demo treats as today (YYYY-MM-DD); by default the real day.",
        )
        parser.add_argument(
            "--small",
            action="store_true",
            help="A tenth of the dossiers: every page and state still present, loaded faster (for tests).",
        )

    def handle(self, *args, **options):
        self.dossier_scale = 0.1 if options["small"] else 1.0
        with clock.on_day(options["today"]):
            self.load_all()
        self.print_accounts()

    def load_all(self):
        if Unit.objects.exists() and not get_setting(DEMO_KEY, False):
            raise CommandError(
                "Cơ sở dữ liệu này đã có dữ liệu thật; không nạp dữ liệu minh họa vào đây. "
                "(This database holds real data; the demo is not loaded into it.)"
            )
        if get_setting(DEMO_KEY, False):
            self.stdout.write("Dữ liệu minh họa đã có sẵn; giữ nguyên. (Demo data already present; kept.)")
        else:
            self.load()
        # Later parts of the demo load once each, so an older demo database gains them on the next run.
        if not get_setting(PLANS_KEY, False):
            self.load_plans()
        if not get_setting(ONESTOP_KEY, False):
            self.load_onestop()
        # After plans and one-stop: the PAR Index's automatic criteria read their data.
        if not get_setting(PARINDEX_KEY, False):
            self.load_parindex()
        if not get_setting(SURVEYS_KEY, False):
            self.load_surveys()

    @transaction.atomic
    def load(self):
        self.stdout.write("Nạp đơn vị hành chính chính thức của tỉnh Khánh Hòa…")
        province, agencies = load_demo_units(stdout=self.stdout)
        load_demo_people(province=province, agencies=agencies)
        set_setting(actor=None, key=DEMO_KEY, value=True)

    @transaction.atomic
    def load_plans(self):
        self.stdout.write("Nạp kế hoạch CCHC năm 2026 minh họa…")
        province = demo_province()
        load_demo_plan(actor=planner(), province=province, agencies=demo_agencies(province))
        set_setting(actor=None, key=PLANS_KEY, value=True)

    @transaction.atomic
    def load_onestop(self):
        self.stdout.write("Nạp thủ tục hành chính và hồ sơ một năm minh họa…")
        province = demo_province()
        result = load_demo_dossiers(province=province, scale=self.dossier_scale)
        self.stdout.write(f"  {result.created} hồ sơ")
        months = [f"{month:%Y-%m}" for month in _last_full_months(2)]
        load_demo_official_scores(province=province, periods=months)
        job = run_example_import(actor=planner())
        self.stdout.write(f"  tệp mẫu {job.original_name}: {job.error_count} dòng lỗi được giải thích")
        set_setting(actor=None, key=ONESTOP_KEY, value=True)

    @transaction.atomic
    def load_parindex(self):
        self.stdout.write("Nạp Chỉ số CCHC minh họa: năm 2025 đã công bố, năm 2026 đang tự đánh giá…")
        started = time.monotonic()
        loaded = load_demo_parindex(actor=planner(), organiser=demo_province())
        past, current = loaded.past, loaded.current
        self.stdout.write(
            f"  năm {past.year}: {past.results.count()} đơn vị có kết quả, QĐ {past.decision_number}; "
            f"năm {current.year}: {current.assessments.count()} đơn vị, đang tự đánh giá "
            f"({time.monotonic() - started:.0f} giây)"
        )
        set_setting(actor=None, key=PARINDEX_KEY, value=True)

    @transaction.atomic
    def load_surveys(self):
        self.stdout.write(
            "Nạp khảo sát SIPAS (năm 2025 đã kết thúc, năm 2026 đang thu phiếu) và phản ánh, kiến nghị…"
        )
        started = time.monotonic()
        province = demo_province()
        loaded = load_demo_surveys(actor=planner(), organiser=province)
        past, current = loaded.past, loaded.current
        total = campaign_total(past)
        late = Feedback.objects.filter(organiser=province).exclude(late_steps=[]).count()
        self.stdout.write(
            f"  {past.code}: {past.responses.count()} phiếu, {past.quotas.count()} đơn vị, chỉ số chung "
            f"{total.overall if total else '—'} %, đã kết thúc; {current.code}: {current.responses.count()} "
            f"phiếu đến nay; {loaded.feedback} phản ánh, kiến nghị ({late} có bước trễ hạn) "
            f"({time.monotonic() - started:.0f} giây)"
        )
        set_setting(actor=None, key=SURVEYS_KEY, value=True)

    def print_accounts(self):
        """Each account with the roles and units it really holds, read back from the database."""
        self.stdout.write("")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):")
        with translation.override("vi"):
            for person in demo_people():
                user = User.objects.get(username=person["username"])
                roles = "; ".join(
                    f"{assignment.get_role_display()} — {assignment.unit.name}"
                    for assignment in user.role_assignments.select_related("unit")
                )
                self.stdout.write(f"  {user.username:<18} {user.full_name}, {user.position}")
                self.stdout.write(f"  {'':<18} vai trò: {roles}")
        self.stdout.write(f"  {'admin':<18} Quản trị kỹ thuật, chỉ dùng trang quản trị /admin/")
        self.stdout.write(
            "Với make demo, máy chủ chạy sau dòng này; dừng bằng Ctrl+C (dữ liệu được giữ lại cho lần sau)."
        )
