{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{PAGE_TITLE}} · Souk</title><link rel="stylesheet" href="/static/souk.css"></head>
<body><header class="top"><a class="logo" href="/">Souk</a></header><main>
