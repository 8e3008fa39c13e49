from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kindred.notifications import services
from kindred.notifications.models import Notification


@login_required
def notification_list(request):
    notes = list(Notification.objects.filter(user=request.user)[:100])
    return render(request, "notifications/list.html", {"notes": notes})


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(user=request.user)
    return redirect("notifications")
