"""The people page: who holds which role where, within the viewer's scope."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from cchc.accounts.queries import users_for


@login_required
def user_list(request):
    users = users_for(request.user).prefetch_related("role_assignments__unit").order_by("username")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "query": ""})
