"""Wellbeing screening through the API: the wellbeing role only (404 for anyone else, as
for a record that does not exist), and each person's own dates."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from vigil import audit
from vigil.core.exceptions import NotFound
from vigil.workforce.selectors import wellbeing as selectors
from vigil.workforce.services import wellbeing as services

router = Router(tags=["workforce"])


def _require(request) -> None:
    if not selectors.is_wellbeing(request.user):
        raise NotFound(_("Not found."))


class SupportOut(Schema):
    id: uuid.UUID
    referred_on: dt.date
    first_appointment_on: dt.date | None
    attendance: str

    @staticmethod
    def resolve_id(obj):
        return obj.uuid


class ScreeningOut(Schema):
    id: uuid.UUID
    appointment_on: dt.date
    attendance: str
    support: list[SupportOut]

    @staticmethod
    def resolve_id(obj):
        return obj.uuid

    @staticmethod
    def resolve_support(obj):
        return list(obj.support_referrals.all())


class ScreeningRowOut(Schema):
    staff: uuid.UUID
    name: str
    team: str
    last_screened_on: dt.date | None
    next_booked_on: dt.date | None
    in_date: bool

    @staticmethod
    def resolve_staff(obj):
        return obj.uuid

    @staticmethod
    def resolve_name(obj):
        return obj.user.full_name

    @staticmethod
    def resolve_team(obj):
        return obj.team.name


class StaffScreeningOut(Schema):
    staff: uuid.UUID
    name: str
    screenings: list[ScreeningOut]


class BookIn(Schema):
    appointment_on: dt.date


class AttendanceIn(Schema):
    attendance: str


class ReferIn(Schema):
    referred_on: dt.date
    first_appointment_on: dt.date | None = None


class SupportAttendanceIn(Schema):
    attendance: str
    first_appointment_on: dt.date | None = None


@router.get("/screening", response=list[ScreeningRowOut])
@paginate(PageNumberPagination, page_size=50)
def list_screening(request, overdue: bool = False):
    """Everyone in scope in the forces the caller serves, out of date first."""
    _require(request)
    return selectors.screening_list(user=request.user, overdue_only=overdue)


def _staff_out(record):
    return {
        "staff": record.uuid,
        "name": record.user.full_name,
        "screenings": list(selectors.screenings(record)),
    }


@router.get("/screening/mine", response=list[ScreeningOut])
def my_screening(request):
    """The caller's own screening appointments and follow-on support."""
    return list(selectors.own_screenings(user=request.user))


@router.get("/screening/staff/{staff_id}", response=StaffScreeningOut)
def get_staff_screening(request, staff_id: uuid.UUID):
    """One person's screening record (the read is audited)."""
    _require(request)
    record = selectors.get_staff_for_wellbeing(request.user, staff_id)
    audit.record(request.user, "workforce.screening_view", record)
    return _staff_out(record)


@router.post("/screening/staff/{staff_id}/appointments", response={201: ScreeningOut})
def book_screening(request, staff_id: uuid.UUID, payload: BookIn):
    _require(request)
    record = selectors.get_staff_for_wellbeing(request.user, staff_id)
    row = services.screening_book(
        actor=request.user, staff=record, appointment_on=payload.appointment_on
    )
    return Status(201, row)


@router.post("/screening/{screening_id}/attendance", response=ScreeningOut)
def record_attendance(request, screening_id: uuid.UUID, payload: AttendanceIn):
    """attended, dna (did not attend) or cancelled."""
    _require(request)
    row = selectors.get_screening_for_wellbeing(request.user, screening_id)
    return services.screening_attendance(
        actor=request.user, screening=row, attendance=payload.attendance
    )


@router.post("/screening/{screening_id}/support", response={201: SupportOut})
def refer_to_support(request, screening_id: uuid.UUID, payload: ReferIn):
    _require(request)
    row = selectors.get_screening_for_wellbeing(request.user, screening_id)
    referral = services.support_refer(
        actor=request.user,
        screening=row,
        referred_on=payload.referred_on,
        first_appointment_on=payload.first_appointment_on,
    )
    return Status(201, referral)


@router.post("/support/{referral_id}/attendance", response=SupportOut)
def record_support_attendance(request, referral_id: uuid.UUID, payload: SupportAttendanceIn):
    _require(request)
    referral = selectors.get_support_for_wellbeing(request.user, referral_id)
    return services.support_attendance(
        actor=request.user,
        referral=referral,
        attendance=payload.attendance,
        first_appointment_on=payload.first_appointment_on,
    )
