# Empty root migration so that capabilities built side by side can each add their own.
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = []
