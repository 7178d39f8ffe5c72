app_name = "supporters"
# Giving, membership and sign-in arrive with the supporters issue.
urlpatterns = []
