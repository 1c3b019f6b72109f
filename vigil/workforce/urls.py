from django.urls import path

from vigil.workforce.views import abstractions, staff, training, wellbeing

app_name = "workforce"

urlpatterns = [
    path("", staff.index, name="index"),
    path("teams/<uuid:uuid>/", staff.team_detail, name="team"),
    path("teams/<uuid:uuid>/workload.csv", staff.team_csv, name="team-csv"),
    path("teams/<uuid:uuid>/staff/new/", staff.staff_new, name="staff-new"),
    path("teams/<uuid:uuid>/establishment/", staff.establishment, name="establishment"),
    path("teams/<uuid:uuid>/abstractions/", abstractions.abstraction_list, name="abstractions"),
    path(
        "teams/<uuid:uuid>/abstractions.csv", abstractions.abstraction_csv, name="abstractions-csv"
    ),
    path(
        "teams/<uuid:uuid>/abstractions/new/", abstractions.abstraction_new, name="abstraction-new"
    ),
    path("staff/<uuid:uuid>/", staff.staff_detail, name="staff"),
    path("staff/<uuid:uuid>/hours/", staff.staff_hours, name="staff-hours"),
    path("staff/<uuid:uuid>/leave/", staff.staff_leave, name="staff-leave"),
    path("staff/<uuid:uuid>/repeat-review/", staff.repeat_review, name="repeat-review"),
    path("abstractions/<uuid:uuid>/", abstractions.abstraction_detail, name="abstraction"),
    path(
        "abstractions/<uuid:uuid>/review/",
        abstractions.abstraction_review,
        name="abstraction-review",
    ),
]

urlpatterns += [
    path("screening/", wellbeing.screening_list, name="screening"),
    path("screening/mine/", wellbeing.my_screening, name="my-screening"),
    path("screening/staff/<uuid:uuid>/", wellbeing.screening_staff, name="screening-staff"),
    path("screening/staff/<uuid:uuid>/book/", wellbeing.screening_book, name="screening-book"),
    path(
        "screening/<uuid:uuid>/attendance/",
        wellbeing.screening_attendance,
        name="screening-attendance",
    ),
    path("screening/<uuid:uuid>/refer/", wellbeing.support_refer, name="support-refer"),
    path(
        "support/<uuid:uuid>/attendance/", wellbeing.support_attendance, name="support-attendance"
    ),
]

urlpatterns += [
    path("training/", training.catalogue, name="training"),
    path("training/mine/", training.my_training, name="my-training"),
    path("training/courses/new/", training.course_new, name="training-course-new"),
    path("training/courses/<uuid:uuid>/", training.course_detail, name="training-course"),
    path("training/courses/<uuid:uuid>/edit/", training.course_edit, name="training-course-edit"),
    path("training/sessions/new/", training.session_new, name="training-session-new"),
    path("training/sessions/<uuid:uuid>/", training.session_detail, name="training-session"),
    path(
        "training/records/<uuid:uuid>/withdraw/",
        training.completion_withdraw,
        name="training-withdraw",
    ),
    path("training/staff/<uuid:uuid>/", training.staff_training, name="training-staff"),
    path("teams/<uuid:uuid>/training/", training.team_training, name="training-team"),
    path("teams/<uuid:uuid>/training.csv", training.team_training_csv, name="training-team-csv"),
]
