# Scrapy settings: no task-queue settings here.
BOT_NAME = 'crawler'
ROBOTSTXT_OBEY = True
