from django.shortcuts import render

urls = []


def index(request):
    return render(request, "fees/index.html", {})
