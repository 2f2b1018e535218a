# Scrapy project settings: not a web-framework settings module, so no rule of this product may fire here.
BOT_NAME = "crawler"
SPIDER_MODULES = ["crawler.spiders"]
DOWNLOADER_MIDDLEWARES = {"crawler.middlewares.RetryMiddleware": 550}
FILE_CHARSET = "latin-1"
USE_L10N = True
EMAIL_HOST = "smtp.example.com"
