# Scrapy production settings: the name matches settings_*.py, but no Django marker is here; nothing may fire.
BOT_NAME = "crawler"
DOWNLOADER_MIDDLEWARES = {"crawler.middlewares.RetryMiddleware": 550}
FILE_CHARSET = "latin-1"
USE_L10N = True
