# Canary holds no models of its own. The module exists so that Django sends this app's
# post_migrate signal, which syncs the roles (see canary.apps).
