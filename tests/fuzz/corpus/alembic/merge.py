revision = "b7c8"
down_revision = ('a1', "a2",)
branch_labels = ["feature"]
depends_on = None
