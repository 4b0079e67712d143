"""Routes of the campaign and scorecard pages. No app_name: `cchc.parindex.urls` includes them in the
"parindex" namespace under /parindex/."""

from django.urls import path

from cchc.parindex import views_campaign, views_items

urlpatterns = [
    path("", views_campaign.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views_campaign.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/deadlines/", views_campaign.campaign_deadlines, name="campaign-deadlines"),
    path("campaigns/<int:pk>/advance/", views_campaign.campaign_advance, name="campaign-advance"),
    path("assessments/<int:pk>/", views_items.scorecard, name="scorecard"),
    path("assessments/<int:pk>/submit/", views_items.assessment_submit, name="assessment-submit"),
    path("assessments/<int:pk>/accept/", views_items.assessment_accept, name="assessment-accept"),
    path("items/<int:pk>/self/", views_items.item_self, name="item-self"),
    path("items/<int:pk>/evidence/", views_items.item_evidence, name="item-evidence"),
    path("items/<int:pk>/appraise/", views_items.item_appraise, name="item-appraise"),
    path("items/<int:pk>/explain/", views_items.item_explain, name="item-explain"),
    path("items/<int:pk>/second/", views_items.item_second, name="item-second"),
    path("items/<int:pk>/history/", views_items.item_history, name="item-history"),
    path("evidence/<int:pk>/", views_items.evidence_download, name="evidence"),
]
