<#
.SYNOPSIS
  Adds a customer domain to its Microsoft 365 tenant and writes its mail records at the hoster's DNS.
.EXAMPLE
  .\New-TenantMailDomain.ps1 -Domain contoso.com -Tenant contoso
#>
param(
    [Parameter(Mandatory)] [string] $Domain,
    [Parameter(Mandatory)] [string] $Tenant,
    [string] $DnsServer = 'dns01.hoster.example'
)

$ErrorActionPreference = 'Stop'
$key = $Domain.Replace('.', '-')

New-MgDomain -BodyParameter @{ id = $Domain }
$verification = (Get-MgDomainVerificationDnsRecord -DomainId $Domain | Where-Object RecordType -eq 'Txt').AdditionalProperties.text
Add-DnsServerResourceRecord -ComputerName $DnsServer -ZoneName $Domain -Name '@' -Txt -DescriptiveText $verification

$mx = "$($Domain.Replace('.', '-')).mail.protection.outlook.com"
Add-DnsServerResourceRecordMX -ComputerName $DnsServer -ZoneName $Domain -Name '@' -MailExchange $mx -Preference 0
Add-DnsServerResourceRecord -ComputerName $DnsServer -ZoneName $Domain -Name '@' -Txt -DescriptiveText 'v=spf1 include:spf.protection.outlook.com -all'
Add-DnsServerResourceRecordCName -ComputerName $DnsServer -ZoneName $Domain -Name 'autodiscover' -HostNameAlias 'autodiscover.outlook.com'
foreach ($selector in 'selector1', 'selector2') {
    Add-DnsServerResourceRecordCName -ComputerName $DnsServer -ZoneName $Domain -Name "$selector._domainkey" `
        -HostNameAlias "$selector-$key._domainkey.$Tenant.onmicrosoft.com"
}
# The connector for the customer's multifunction printers
New-InboundConnector -Name "Printers $Domain" -ConnectorType OnPremises -SenderDomains $Domain `
    -SmartHosts "$key.mail.protection.outlook.com"
Write-Host "mail for $Domain goes to $mx"
