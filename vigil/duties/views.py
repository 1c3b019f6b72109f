from django.shortcuts import render

from vigil.core.decorators import signed_in


@signed_in
def my_work(request):
    return render(request, "duties/my_work.html", {})
